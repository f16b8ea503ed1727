'use strict'
// @actions/core reaches undici only through @actions/http-client's ProxyAgent (for getIDToken behind a proxy).
// Importing undici's index for it evaluates all of undici at start-up; this loads the one class when it is used.
exports.ProxyAgent = function ProxyAgent(options) {
  const RealProxyAgent = require('undici/lib/dispatcher/proxy-agent.js')
  return new RealProxyAgent(options)
}
