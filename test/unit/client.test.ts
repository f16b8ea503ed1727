import { afterEach, describe, expect, it } from '@jest/globals'
import { HubClient, mayHaveApplied, type HubClientOptions } from '../../src/hub/client.js'
import { HubError } from '../../src/hub/errors.js'
import { parseRateLimit } from '../../src/hub/types.js'
import { probeApp } from '../../src/wait/app-health.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { scriptedServer, type Reply } from '../support/scripted-server.js'

const RUNTIME = '{"stage":"RUNNING","hardware":{"current":"cpu-basic","requested":"cpu-basic"}}'
const TOKEN = 'hf_unit_test_token_0123456789'
let close: (() => Promise<void>) | undefined
let client: HubClient | undefined

afterEach(async () => {
  await client?.close()
  await close?.()
  client = undefined
  close = undefined
})

async function setup(replies: Reply[], options: Partial<HubClientOptions> = {}) {
  const server = await scriptedServer(replies)
  close = server.close
  const clock = new FakeClock()
  client = new HubClient({
    endpoint: server.url,
    token: TOKEN,
    userAgent: 'test/1',
    clock,
    random: () => 0.5,
    ...options
  })
  return { server, clock, client }
}

const get = { method: 'GET', path: '/api/spaces/acme/app/runtime', retry: 'idempotent' } as const
const restart = { method: 'POST', path: '/api/spaces/acme/app/restart', retry: 'unsent' } as const
const hardware = {
  method: 'POST',
  path: '/api/spaces/acme/app/hardware',
  json: { flavor: 't4-small' },
  retry: 'unsent'
} as const

describe('HubClient', () => {
  it('sends the token in the header only, with a user agent', async () => {
    const { server, client } = await setup([{ status: 200, body: RUNTIME }])
    await client.json(get)
    const [seen] = server.seen
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(seen?.headers['user-agent']).toBe('test/1')
    expect(seen?.url).not.toContain(TOKEN)
  })

  it('leaves the token out of public catalogue reads', async () => {
    const { server, client } = await setup([{ status: 200, body: '[]' }])
    await client.json({ method: 'GET', path: '/api/spaces/hardware', retry: 'idempotent', auth: false })
    expect(server.seen[0]?.headers.authorization).toBeUndefined()
  })

  it.each([408, 429, 500, 502, 503, 504])('retries a read after HTTP %i', async status => {
    const { server, client } = await setup([{ status }, { status: 200, body: RUNTIME }])
    await expect(client.json(get)).resolves.toMatchObject({ stage: 'RUNNING' })
    expect(server.seen).toHaveLength(2)
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { clock, client } = await setup([
      { status: 503, headers: { 'retry-after': '7' } },
      // 4 s after the fake clock's time once the first 7 s are slept (whole seconds: HTTP dates have no more).
      {
        status: 429,
        headers: { 'retry-after': new Date(new FakeClock().now() + 7000 + 4000).toUTCString() }
      },
      { status: 200, body: RUNTIME }
    ])
    await client.json(get)
    expect(clock.sleeps).toEqual([7000, 4000])
  })

  it('waits for the RateLimit reset on a 429 with none remaining', async () => {
    const { clock, client } = await setup([
      { status: 429, headers: { ratelimit: '"api";r=0;t=12' } },
      { status: 200, body: RUNTIME, headers: { ratelimit: '"api";r=999;t=300' } }
    ])
    await client.json(get)
    expect(clock.sleeps).toEqual([13_000])
    expect(client.rateLimit).toMatchObject({ remaining: 999, resetSeconds: 300 })
  })

  it('backs off exponentially with a cap, and gives up after the last attempt', async () => {
    const { server, clock, client } = await setup([{ status: 502 }], { maxAttempts: 5 })
    await expect(client.json(get)).rejects.toMatchObject({ code: 'hub-unavailable', status: 502 })
    expect(server.seen).toHaveLength(5)
    expect(clock.sleeps).toEqual([750, 1500, 3000, 6000])
  })

  it('retries a connection reset on a read', async () => {
    const { server, client } = await setup(['reset', { status: 200, body: RUNTIME }])
    await client.json(get)
    expect(server.seen).toHaveLength(2)
  })

  it('retries a hung answer after the response timeout', async () => {
    const { server, client } = await setup(['hang', { status: 200, body: RUNTIME }], {
      responseTimeoutMs: 200
    })
    await client.json(get)
    expect(server.seen).toHaveLength(2)
  })

  it('retries a malformed body on a read', async () => {
    const { client } = await setup([
      { status: 200, body: '{"stage":' },
      { status: 200, body: RUNTIME }
    ])
    await expect(client.json(get)).resolves.toMatchObject({ stage: 'RUNNING' })
  })

  it('reports a page that is not JSON like any other body: the request, the status and how it began', async () => {
    const { client } = await setup([{ status: 200, body: '<html>maintenance</html>' }], { maxAttempts: 1 })
    const tree = { method: 'GET', path: '/api/spaces/acme/app/tree/main', retry: 'idempotent' } as const
    await expect(client.page(tree)).rejects.toMatchObject({
      code: 'bad-response',
      status: 200,
      message:
        'GET /api/spaces/acme/app/tree/main answered 200 with a body that is not JSON: <html>maintenance</html>'
    })
  })

  it('does not repeat a restart the Hub may have acted on, but does after a 429', async () => {
    const failed = await setup([{ status: 503 }, { status: 200, body: RUNTIME }])
    await expect(failed.client.json(restart)).rejects.toMatchObject({ status: 503 })
    expect(failed.server.seen).toHaveLength(1)
    await failed.client.close()
    await close?.()

    const limited = await setup([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: RUNTIME }
    ])
    await limited.client.json(restart)
    expect(limited.server.seen).toHaveLength(2)
  })

  it('does not repeat a restart after a connection reset', async () => {
    const { server, client } = await setup(['reset', { status: 200, body: RUNTIME }])
    await expect(client.json(restart)).rejects.toMatchObject({ code: 'network' })
    expect(server.seen).toHaveLength(1)
  })

  it('reports a refused connection with the endpoint and proxy advice', async () => {
    const { client, server } = await setup([{ status: 200 }], { maxAttempts: 2 })
    await close?.()
    close = undefined
    const error = await client.json(get).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'network' })
    expect((error as HubError).advice).toContain(server.url)
  })

  it('does not wait for a Retry-After beyond its limit, and says when the limit resets', async () => {
    const { server, client } = await setup([{ status: 429, headers: { 'retry-after': '600' } }])
    const error = (await client.json(get).catch((e: unknown) => e)) as HubError
    expect(server.seen).toHaveLength(1)
    expect(error.code).toBe('rate-limited')
    expect(error.advice).toContain('10m')
  })

  it('maps errors to status, X-Error-Code, server message and request id', async () => {
    const { client } = await setup([
      {
        status: 404,
        headers: {
          'x-error-code': 'RepoNotFound',
          'x-error-message': 'Repository not found',
          'x-request-id': 'Root=1-abc'
        },
        body: '{"error":"Repository not found"}'
      }
    ])
    const error = (await client.json(get).catch((e: unknown) => e)) as HubError
    expect(error).toBeInstanceOf(HubError)
    expect(error.code).toBe('not-found')
    expect(error.details).toMatchObject({ status: 404, errorCode: 'RepoNotFound', requestId: 'Root=1-abc' })
    expect(error.message).toBe(
      'GET /api/spaces/acme/app/runtime failed with HTTP 404: Repository not found (request id Root=1-abc)'
    )
    expect(error.advice).toContain('space-id')
  })

  it.each([
    [401, '{"error":"Invalid username or password."}', 'unauthorized', 'write access'],
    [402, '{"error":"Payment required"}', 'payment-required', 'billing'],
    [
      403,
      '{"error":"You must add a payment method to use paid hardware"}',
      'payment-required',
      'payment method'
    ],
    [403, '{"error":"You are not the owner"}', 'forbidden', 'owner'],
    [400, '{"error":"Invalid flavor"}', 'bad-request', 'refused']
  ])('turns HTTP %i into plain advice', async (status, body, code, advice) => {
    const { client } = await setup([{ status, body }])
    const error = (await client
      .json({ ...get, method: 'POST', path: '/api/spaces/acme/app/hardware' })
      .catch((e: unknown) => e)) as HubError
    expect(error.code).toBe(code)
    expect(error.advice).toContain(advice)
  })

  it('follows a same-origin redirect of a renamed Space', async () => {
    const { server, client } = await setup([
      { status: 307, headers: { location: '/api/spaces/acme/renamed/runtime' } },
      { status: 200, body: RUNTIME }
    ])
    await client.json(get)
    expect(server.seen.map(s => s.url)).toEqual([
      '/api/spaces/acme/app/runtime',
      '/api/spaces/acme/renamed/runtime'
    ])
  })

  it('never follows a redirect to another host with the token', async () => {
    const { server, client } = await setup([
      { status: 307, headers: { location: 'http://127.0.0.2:1/steal' } }
    ])
    await expect(client.json(get)).rejects.toMatchObject({ status: 307 })
    expect(server.seen).toHaveLength(1)
  })

  it('keeps the query of a same-origin redirect, filling in only what it leaves out', async () => {
    const { server, client } = await setup([
      { status: 307, headers: { location: '/api/spaces/acme/renamed/logs/build?tail=5' } },
      { status: 200, body: '[]' }
    ])
    await client.json({ ...get, query: { tail: '40', extra: '1' } })
    expect(server.seen.map(s => s.url)).toEqual([
      '/api/spaces/acme/app/runtime?tail=40&extra=1',
      '/api/spaces/acme/renamed/logs/build?tail=5&extra=1'
    ])
  })

  it('does not wait for a Retry-After past the deadline, and says so after one attempt', async () => {
    const clock = new FakeClock()
    const { server, client } = await setup([{ status: 503, headers: { 'retry-after': '59' } }], {
      clock,
      deadline: { at: clock.now() + 30_000, what: 'the test deadline' }
    })
    const error = (await client.json(get).catch((e: unknown) => e)) as HubError
    expect(server.seen).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(error.message).toContain(
      'after 1 attempt(s); not retried: waiting 59s for the next attempt would pass the test deadline'
    )
    expect(error.advice).not.toContain('already retried')
  })

  it('sends nothing once the deadline has passed', async () => {
    const clock = new FakeClock()
    const { server, client } = await setup([{ status: 200, body: RUNTIME }], {
      clock,
      deadline: { at: clock.now() - 1, what: 'the test deadline' }
    })
    await expect(client.json(get)).rejects.toMatchObject({ code: 'timeout' })
    expect(server.seen).toHaveLength(0)
  })

  it('holds every later call back for a Retry-After, and refuses one it will not wait for', async () => {
    const { server, clock, client } = await setup([
      { status: 429, headers: { 'retry-after': '600' } },
      { status: 200, body: RUNTIME }
    ])
    await expect(client.json(get)).rejects.toMatchObject({ code: 'rate-limited' })
    const later = (await client.json(get).catch((e: unknown) => e)) as Error
    expect(later.message).toContain('was not sent: the Hub asked for a pause of 10m')
    expect(server.seen).toHaveLength(1)
    clock.advance(600_000)
    await expect(client.json(get)).resolves.toMatchObject({ stage: 'RUNNING' })
  })

  it('marks a write whose answer was lost as possibly applied, and a refused one as not', async () => {
    const lost = await setup(['reset'])
    const error = await lost.client.json(hardware).catch((e: unknown) => e)
    expect(mayHaveApplied(error)).toBe(true)
    expect((error as Error).message).toContain('not retried: the POST may have reached the Hub')
    await lost.client.close()
    await close?.()

    const refused = await setup([{ status: 403 }])
    expect(mayHaveApplied(await refused.client.json(hardware).catch((e: unknown) => e))).toBe(false)
  })

  it('retries a write after a 503 with Retry-After: the Hub did not take it on', async () => {
    const { server, client } = await setup([
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 200, body: RUNTIME }
    ])
    await client.json(hardware)
    expect(server.seen).toHaveLength(2)
  })

  it('sends the token with a probe only to the app origin it was given', async () => {
    const { server, client } = await setup([{ status: 200 }])
    const origin = new URL(server.url).origin
    await expect(probeApp(client, `${server.url}/healthz`, origin)).resolves.toBe(200)
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    await expect(probeApp(client, 'http://127.0.0.2:1/healthz', origin)).rejects.toMatchObject({
      code: 'bad-input'
    })
    expect(server.seen).toHaveLength(1)
  })

  it('logs each retry at info: what, in how long and why, without the query', async () => {
    const info: string[] = []
    const { client } = await setup(
      [
        { status: 503, headers: { 'retry-after': '7' } },
        { status: 429, headers: { ratelimit: '"api";r=0;t=2' } },
        'reset',
        { status: 200, body: RUNTIME }
      ],
      { log: { info: line => info.push(line), debug: () => undefined } }
    )
    await client.json({ ...get, query: { secret: 'hf_query_value' } })
    expect(info).toEqual([
      'GET /api/spaces/acme/app/runtime: HTTP 503, Retry-After 7s; retrying in 7s (attempt 2 of 5).',
      'GET /api/spaces/acme/app/runtime: HTTP 429, RateLimit reset 3s; retrying in 3s (attempt 3 of 5).',
      // The code of a reset depends on where undici saw it (ECONNRESET, UND_ERR_SOCKET).
      expect.stringMatching(
        /^GET \/api\/spaces\/acme\/app\/runtime: [A-Z_]+; retrying in 3s \(attempt 4 of 5\)\.$/
      )
    ])
  })

  it('logs a call held back by an earlier Retry-After at info', async () => {
    const info: string[] = []
    const { client } = await setup(
      [
        { status: 429, headers: { 'retry-after': '5' } },
        { status: 200, body: RUNTIME }
      ],
      { log: { info: line => info.push(line), debug: () => undefined }, maxAttempts: 1 }
    )
    await expect(client.json(get)).rejects.toMatchObject({ code: 'rate-limited' })
    await client.json(restart)
    expect(info).toEqual(['POST /api/spaces/acme/app/restart: held back 5s, as the Hub asked (Retry-After).'])
  })

  it('stops retrying at once when cancelled', async () => {
    const abort = new AbortController()
    const { server, client } = await setup([{ status: 503 }], { signal: abort.signal })
    abort.abort()
    await expect(client.json(get)).rejects.toMatchObject({ code: 'cancelled' })
    expect(server.seen).toHaveLength(0)
  })
})

describe('parseRateLimit', () => {
  it('reads the IETF draft header the Hub sends', () => {
    expect(parseRateLimit('"api";r=499;t=295')).toEqual({ remaining: 499, resetSeconds: 295 })
    expect(parseRateLimit(null)).toBeNull()
    expect(parseRateLimit('garbage')).toBeNull()
  })
})
