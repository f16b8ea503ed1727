// Tests talk only to loopback servers: no proxy from the developer's environment may redirect them.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name]
process.env.NO_PROXY = '127.0.0.1,localhost,::1'
