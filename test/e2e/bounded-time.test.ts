/**
 * Bounded time whatever the network does, and retries that match what each call can safely repeat (issue 9,
 * items 12, 13, 15). The step's deadline is asserted through its own messages and the emulator's request log; the
 * jest timeouts are only a safety net.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { errors, runStep, SPACE, startStep, useHub } from './fixture.js'
import { until } from '../harness/built-action.js'
import { startClosingProxy, startFront, type Front } from '../support/hostile-front.js'

const runtimePath = `/api/spaces/${SPACE}/runtime`
const hardwarePath = `/api/spaces/${SPACE}/hardware`
const timings = { staleMs: 100, buildMs: 300, startMs: 100 }

describe('a Hub whose answers trickle, hang or get lost', () => {
  const t = useHub([{ id: SPACE, timings }])
  let front: Front
  beforeEach(async () => {
    front = await startFront(t.hub.url)
  })
  afterEach(async () => {
    await front.close()
  })

  it('ends the main step at its deadline when the runtime body trickles a byte a second', async () => {
    front.rule({ method: 'GET', path: runtimePath, kind: 'trickle', intervalMs: 1000 })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, timeout: '3s', endpoint: front.url, teardown: 'pause' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain(
      "no complete answer before the step's time limit (timeout 3s plus 10s to report)"
    )
    // One read, cut off at the deadline: the trickle of ~200 bytes would take minutes.
    expect(t.hub.requests().filter(r => r.path === runtimePath)).toHaveLength(1)
    expect(main.state).toEqual({})
  }, 60_000)

  /** A paid upgrade with `teardown: restore`, not waited for: the post step then has something to undo. */
  const upgrade = (endpoint: string): ReturnType<typeof t.step> =>
    t.step({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 't4-small',
      teardown: 'restore',
      wait: 'false',
      endpoint
    })

  it('gives a post step whose first read trickles a second try within its own budget', async () => {
    const step = upgrade(front.url)
    const main = await runStep('main', step)
    expect(main.exitCode).toBe(0)
    t.hub.clearRequests()
    // The whole body must arrive within 30 s, however steadily it trickles.
    front.rule({ method: 'GET', path: runtimePath, kind: 'trickle', intervalMs: 2000, times: 1 })
    const post = await runStep('post', { ...step, state: main.state })
    expect(post.exitCode).toBe(0)
    const calls = t.hub.requests().map(r => `${r.method} ${r.path}`)
    expect(calls).toEqual([`GET ${runtimePath}`, `GET ${runtimePath}`, `POST ${hardwarePath}`])
    expect(t.hub.space(SPACE)?.runtime).toMatchObject({ hardware: { requested: 'cpu-basic' } })
  }, 120_000)

  it('ends the post step within its budget on a hung Hub, and says what it could not undo', async () => {
    const step = upgrade(t.hub.url)
    const main = await runStep('main', step)
    expect(main.exitCode).toBe(0)
    t.hub.fault({ method: 'GET', path: runtimePath, kind: 'hang', times: Infinity })
    const post = await runStep('post', { ...step, state: main.state })
    expect(post.exitCode).toBe(1)
    const [failure] = errors(post)
    expect(failure).toContain(`Teardown (restore) of ${SPACE} failed`)
    expect(failure).toMatch(/no complete answer before the post step's 60s budget|no answer in time/)
    expect(failure).toContain('may still be running on paid hardware')
  }, 120_000)

  it('reads a hardware request whose answer was lost back, instead of sending it twice', async () => {
    front.rule({ method: 'POST', path: hardwarePath, kind: 'drop', times: 1 })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small', endpoint: front.url })
    )
    expect(main.exitCode).toBe(0)
    const calls = t.hub.requests().map(r => `${r.method} ${r.path}`)
    expect(calls.filter(c => c === `POST ${hardwarePath}`)).toHaveLength(1)
    const posted = calls.indexOf(`POST ${hardwarePath}`)
    expect(calls[posted + 1]).toBe(`GET ${runtimePath}`)
    expect(main.outputs.hardware).toBe('t4-small')
  }, 60_000)
})

describe('Retry-After', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 100, buildMs: 60_000, startMs: 100 } }])

  it('does not wait for a Retry-After past the deadline, and says why it did not retry', async () => {
    t.hub.fault({
      method: 'GET',
      path: runtimePath,
      kind: 'status',
      status: 503,
      headers: { 'retry-after': '59' },
      times: 2
    })
    const main = await runStep('main', t.step({ 'space-id': SPACE, timeout: '20s' }))
    expect(main.exitCode).toBe(1)
    const [failure] = errors(main)
    expect(failure).toContain('HTTP 503')
    expect(failure).toContain('after 1 attempt(s); not retried: waiting 59s for the next attempt would pass')
    expect(failure).not.toContain('already retried')
    expect(t.hub.requests().filter(r => r.path === runtimePath)).toHaveLength(1)
  })

  it('holds back every later poll of the wait loop for a long Retry-After', async () => {
    const running = startStep('main', t.step({ 'space-id': SPACE, operation: 'restart', timeout: '4s' }))
    // Let the wait loop start polling, then rate-limit one of its polls.
    await until(() => t.hub.requests().filter(r => r.path === runtimePath).length >= 2)
    t.hub.fault({
      method: 'GET',
      path: runtimePath,
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '600' }
    })
    const main = await running.result
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('Timed out')
    const requests = t.hub.requests()
    const limited = requests.findIndex(r => r.status === 429)
    expect(limited).toBeGreaterThan(0)
    // Nothing was sent after the Hub asked for ten minutes' pause: no poll, no log read.
    expect(requests.slice(limited + 1)).toEqual([])
  }, 60_000)
})

describe('a proxy that closes every CONNECT', () => {
  const t = useHub()
  let proxy: Awaited<ReturnType<typeof startClosingProxy>>
  beforeEach(async () => {
    proxy = await startClosingProxy()
  })
  afterEach(async () => {
    await proxy.close()
  })

  it('counts each closed tunnel as one failed attempt, and gives up after the usual retries', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE }, { HTTP_PROXY: proxy.url }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain(
      'the proxy closed the tunnel to the Hub (PROXY_TUNNEL_CLOSED) after 5 attempt(s)'
    )
    // One CONNECT per attempt (undici 7 alone opens thousands a second, nodejs/undici#3897).
    expect(proxy.connects()).toBe(5)
    expect(t.hub.requests()).toEqual([])
  }, 60_000)
})
