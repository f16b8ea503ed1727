/** Fault injection, the request log and the control endpoints. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeClock, startEmulator, type Emulator } from '../src/index.js'
import { call, obj, rawRequest, TOKENS, until } from './helpers.js'

const RUNTIME = '/api/spaces/acme/app/runtime'

let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
  hub.addSpace({ id: 'acme/app' })
})

afterEach(async () => {
  await hub.close()
})

describe('status faults', () => {
  it('replays a given answer for `times` requests, then answers normally', async () => {
    const recorded = '{"error":"Service temporarily unavailable"}'
    hub.fault({
      path: RUNTIME,
      kind: 'status',
      status: 503,
      body: recorded,
      headers: { 'Retry-After': '7' },
      times: 2
    })
    for (let i = 0; i < 2; i++) {
      const answer = await call(hub.url, 'GET', RUNTIME)
      expect(answer.status).toBe(503)
      expect(answer.text).toBe(recorded)
      expect(answer.headers.get('retry-after')).toBe('7')
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(answer.headers.get('x-request-id')).toMatch(/^Root=1-/)
    }
    expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(200)
    expect(hub.requests().map(r => r.status)).toEqual([503, 503, 200])
  })

  it('defaults to a JSON error body and lets headers override the content type', async () => {
    hub.fault({ path: RUNTIME, kind: 'status', status: 500 })
    hub.fault({
      path: RUNTIME,
      kind: 'status',
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' }
    })
    expect(obj(await call(hub.url, 'GET', RUNTIME))).toEqual({ error: 'Emulated 500 fault' })
    const html = await call(hub.url, 'GET', RUNTIME)
    expect([html.status, html.headers.get('content-type'), html.text]).toEqual([
      502,
      'text/html',
      '<html>Bad Gateway</html>'
    ])
  })

  it('matches on method and on a regex of the pathname, and can hit forever', async () => {
    hub.fault({
      method: 'post',
      path: /^\/api\/spaces\/[^/]+\/[^/]+\/(pause|restart)$/,
      kind: 'status',
      status: 500,
      times: Infinity
    })
    expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(200)
    for (let i = 0; i < 5; i++) {
      expect((await call(hub.url, 'POST', '/api/spaces/acme/app/pause', { token: TOKENS.acme })).status).toBe(
        500
      )
    }
    // A faulted request has no side effect.
    expect(hub.space('acme/app')?.runtime.stage).toBe('RUNNING')
    hub.clearFaults()
    expect((await call(hub.url, 'POST', '/api/spaces/acme/app/pause', { token: TOKENS.acme })).status).toBe(
      200
    )
  })

  it('takes faults in the order they were added', async () => {
    hub.fault({ path: RUNTIME, kind: 'status', status: 500 })
    hub.fault({ path: RUNTIME, kind: 'status', status: 502 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call(hub.url, 'GET', RUNTIME)).status)
    expect(statuses).toEqual([500, 502, 200])
  })

  it('rejects invalid fault specs', () => {
    expect(() => hub.fault({ path: RUNTIME, kind: 'status', status: 42 })).toThrow(/status/)
    expect(() => hub.fault({ path: RUNTIME, kind: 'delay', delayMs: -1 })).toThrow(/delayMs/)
    expect(() => hub.fault({ path: RUNTIME, kind: 'reset', times: 0 })).toThrow(/times/)
  })
})

describe('connection faults', () => {
  it('resets the connection without an answer, and records status 0', async () => {
    hub.fault({ path: RUNTIME, kind: 'reset' })
    const outcome = await rawRequest(`${hub.url}${RUNTIME}`)
    expect(outcome.status).toBeUndefined()
    expect(outcome.error?.code).toBe('ECONNRESET')
    expect(hub.requests()).toMatchObject([{ path: RUNTIME, status: 0 }])
    expect(hub.requests()[0]?.responseBody).toBeUndefined()
    expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(200)
  })

  it('makes fetch fail on a reset', async () => {
    hub.fault({ path: RUNTIME, kind: 'reset' })
    await expect(fetch(`${hub.url}${RUNTIME}`)).rejects.toThrow()
  })

  it('hangs until close() destroys the socket', async () => {
    hub.fault({ path: RUNTIME, kind: 'hang' })
    const pending = rawRequest(`${hub.url}${RUNTIME}`)
    await until(() => hub.requests().length === 1, 'the hung request to arrive')
    expect(hub.requests()[0]?.status).toBe(0)
    await hub.close()
    const outcome = await pending
    expect(outcome.status).toBeUndefined()
    expect(outcome.error).toBeDefined()
  })

  it('holds the answer while its timer runs, and then answers normally', async () => {
    // Event order, not elapsed time: a long delay still holds its request after a later one was answered.
    hub.fault({ path: RUNTIME, kind: 'delay', delayMs: 60_000 })
    const held = rawRequest(`${hub.url}${RUNTIME}`)
    await until(() => hub.requests().length === 1, 'the delayed request to arrive')
    expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(200)
    expect(hub.requests().map(r => r.status)).toEqual([0, 200])
    await hub.close()
    await held
  })

  it('answers a delayed request normally once its timer fires', async () => {
    hub.fault({ path: RUNTIME, kind: 'delay', delayMs: 1 })
    const answer = await call(hub.url, 'GET', RUNTIME)
    expect(answer.status).toBe(200)
    expect(obj(answer).stage).toBe('RUNNING')
    expect(hub.requests()[0]?.status).toBe(200)
  })

  it('drops delayed answers on close()', async () => {
    hub.fault({ path: RUNTIME, kind: 'delay', delayMs: 60_000 })
    const pending = rawRequest(`${hub.url}${RUNTIME}`)
    await until(() => hub.requests().length === 1, 'the delayed request to arrive')
    await hub.close()
    expect((await pending).error).toBeDefined()
  })

  it('answers 200 JSON with a body cut off mid-object for truncated', async () => {
    hub.fault({ path: RUNTIME, kind: 'truncated' })
    const answer = await call(hub.url, 'GET', RUNTIME)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(answer.text.length).toBeGreaterThan(0)
    expect(() => JSON.parse(answer.text) as unknown).toThrow(SyntaxError)
    expect(hub.requests()[0]).toMatchObject({ status: 200, responseBody: answer.text })
  })
})

describe('request log', () => {
  it('records method, path, query, headers, body, status and clock time', async () => {
    clock.advance(1234)
    await call(hub.url, 'POST', '/api/spaces/acme/app/hardware?x=1', {
      token: TOKENS.acme,
      body: { flavor: 't4-small' }
    })
    const [request] = hub.requests()
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/spaces/acme/app/hardware',
      query: { x: '1' },
      body: '{"flavor":"t4-small"}',
      status: 200,
      at: clock.now()
    })
    expect(request?.headers.authorization).toBe(`Bearer ${TOKENS.acme}`)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request?.responseBody ?? '{}')).toMatchObject({ hardware: { requested: 't4-small' } })
    hub.clearRequests()
    expect(hub.requests()).toEqual([])
  })

  it('does not record control requests or paths outside /api, /oauth and /__oidc', async () => {
    await call(hub.url, 'GET', '/__emulator/spaces/acme/app')
    await call(hub.url, 'GET', '/elsewhere')
    expect(hub.requests()).toEqual([])
  })
})

describe('control endpoints', () => {
  it('adds, reads and patches Spaces', async () => {
    const created = await call(hub.url, 'POST', '/__emulator/spaces', {
      body: { id: 'acme/demo', sdk: 'docker', stage: 'PAUSED', hardware: 't4-small' }
    })
    expect(created.status).toBe(201)
    expect(obj(created)).toMatchObject({ id: 'acme/demo', sdk: 'docker', runtime: { stage: 'PAUSED' } })
    expect((await call(hub.url, 'POST', '/__emulator/spaces', { body: { id: 'acme/demo' } })).status).toBe(
      409
    )
    expect((await call(hub.url, 'POST', '/__emulator/spaces', { body: { id: 'bad' } })).status).toBe(400)
    expect((await call(hub.url, 'POST', '/__emulator/spaces', { body: '{' })).status).toBe(400)

    const patched = await call(hub.url, 'PATCH', '/__emulator/spaces/acme/demo', {
      body: { stage: 'SLEEPING', runLog: ['hello'] }
    })
    expect(patched.status).toBe(200)
    expect(obj(patched).runtime).toMatchObject({ stage: 'SLEEPING' })
    expect(
      (await call(hub.url, 'PATCH', '/__emulator/spaces/acme/demo', { body: { stage: 'NOPE' } })).status
    ).toBe(400)
    expect((await call(hub.url, 'PATCH', '/__emulator/spaces/acme/none', { body: {} })).status).toBe(404)

    const view = await call(hub.url, 'GET', '/__emulator/spaces/acme/demo')
    expect(obj(view)).toEqual(hub.space('acme/demo'))
    expect((await call(hub.url, 'GET', '/__emulator/spaces/acme/none')).status).toBe(404)
    const all = await call(hub.url, 'GET', '/__emulator/spaces')
    expect((all.json as { id: string }[]).map(s => s.id)).toEqual(['acme/app', 'acme/demo'])
  })

  it('adds faults from JSON, with ^ regexes and times "Infinity", and clears them', async () => {
    const added = await call(hub.url, 'POST', '/__emulator/faults', {
      body: { path: '^/api/spaces/acme/', kind: 'status', status: 503, times: 'Infinity' }
    })
    expect(added.status).toBe(201)
    for (let i = 0; i < 3; i++) expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(503)
    expect(
      (await call(hub.url, 'POST', '/__emulator/faults', { body: { path: RUNTIME, kind: 'boom' } })).status
    ).toBe(400)
    expect((await call(hub.url, 'DELETE', '/__emulator/faults')).status).toBe(204)
    expect((await call(hub.url, 'GET', RUNTIME)).status).toBe(200)
  })

  it('lists requests with the token masked, and clears them', async () => {
    await call(hub.url, 'GET', RUNTIME, { token: TOKENS.acme })
    await call(hub.url, 'GET', RUNTIME)
    const listed = await call(hub.url, 'GET', '/__emulator/requests')
    const requests = listed.json as { path: string; headers: Record<string, string> }[]
    expect(requests).toHaveLength(2)
    expect(requests[0]?.headers.authorization).toBe('Bearer ***')
    expect(requests[1]?.headers.authorization).toBeUndefined()
    expect(listed.text).not.toContain(TOKENS.acme)
    expect((await call(hub.url, 'DELETE', '/__emulator/requests')).status).toBe(204)
    expect(hub.requests()).toEqual([])
  })

  it('answers 404 to unknown control routes', async () => {
    expect((await call(hub.url, 'GET', '/__emulator/nothing')).status).toBe(404)
  })
})
