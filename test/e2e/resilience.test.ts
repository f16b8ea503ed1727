/** Transient Hub failures are ridden out; a cancelled job still gives the hardware back. */
import { describe, expect, it } from '@jest/globals'
import { errors, runStep, SPACE, startStep, useHub } from './fixture.js'
import { until } from '../harness/built-action.js'

const runtimePath = `/api/spaces/${SPACE}/runtime`

describe('transient failures', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 100, buildMs: 400, startMs: 100 } }])

  it('retries a 429 and a 503 after their Retry-After', async () => {
    t.hub.fault({
      method: 'GET',
      path: runtimePath,
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: '{"error":"slow down"}'
    })
    t.hub.fault({
      method: 'POST',
      path: `/api/spaces/${SPACE}/hardware`,
      kind: 'status',
      status: 503,
      headers: { 'retry-after': '1' }
    })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    )
    expect(main.exitCode).toBe(0)
    const calls = t.hub.requests().map(r => `${r.method} ${r.path} ${r.status}`)
    expect(calls.slice(0, 5)).toEqual([
      'GET /api/spaces/hardware 200',
      `GET ${runtimePath} 429`,
      `GET ${runtimePath} 200`,
      `POST /api/spaces/${SPACE}/hardware 503`,
      `POST /api/spaces/${SPACE}/hardware 200`
    ])
    // What the action planned to wait, from its debug log: not the wall clock, which a loaded machine stretches.
    const delays = [...main.stdout.matchAll(/^::debug::(\S+ \S+): HTTP (\d+); retry 1 in (\d+) ms$/gm)].map(
      m => [m[1], m[2], Number(m[3]) >= 1000]
    )
    expect(delays).toEqual([
      [`GET ${runtimePath}`, '429', true],
      [`POST /api/spaces/${SPACE}/hardware`, '503', true]
    ])
  })

  it('retries after a connection reset and a malformed body', async () => {
    t.hub.fault({ method: 'GET', path: runtimePath, kind: 'reset' })
    t.hub.fault({ method: 'GET', path: runtimePath, kind: 'truncated' })
    const main = await runStep('main', t.step({ 'space-id': SPACE }))
    expect(main.exitCode).toBe(0)
    expect(main.outputs.stage).toBe('RUNNING')
    expect(t.hub.requests().map(r => r.status)).toEqual([0, 200, 200])
  })

  it('gives up on a Hub that keeps failing, and says so', async () => {
    t.hub.fault({ method: 'GET', path: runtimePath, kind: 'status', status: 502, times: Infinity })
    const main = await runStep('main', t.step({ 'space-id': SPACE }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 502')
    expect(errors(main)[0]).toContain('the action already retried')
    expect(t.hub.requests()).toHaveLength(5)
  }, 40_000)
})

describe('cancellation', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 100, buildMs: 600_000, startMs: 100 } }])

  it('stops a wait at once on SIGINT, and the post step still restores the hardware', async () => {
    const step = t.step({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 'a10g-large',
      teardown: 'restore'
    })
    const running = startStep('main', step)
    await until(() => t.hub.requests().filter(r => r.path === runtimePath).length >= 2)
    const polledBefore = t.hub.requests().length
    running.child.kill('SIGINT')
    const main = await running.result
    // Stopped at once: the build would take 10 minutes, and at most a poll already on its way got out after the signal.
    expect(t.hub.requests().length - polledBefore).toBeLessThanOrEqual(1)
    expect(main.exitCode).toBe(1)
    expect(main.stdout).toContain('::warning::Received SIGINT')
    expect(errors(main)[0]).toContain('The step was cancelled.')
    expect(main.outputs['previous-hardware']).toBe('cpu-basic')

    const post = await runStep('post', { ...step, state: main.state })
    expect(post.exitCode).toBe(0)
    // The upgrade carried the safety sleep time; restoring cpu-basic needs none back.
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/hardware {"flavor":"a10g-large","sleepTimeSeconds":3600}`,
      `POST /api/spaces/${SPACE}/hardware {"flavor":"cpu-basic"}`
    ])
  })

  it('exits on a second signal even if something hangs', async () => {
    const step = t.step({ 'space-id': SPACE, operation: 'restart' })
    const running = startStep('main', step)
    await until(() => t.hub.requests().some(r => r.path.endsWith('/restart')))
    t.hub.fault({ method: 'GET', path: runtimePath, kind: 'hang', times: Infinity })
    running.child.kill('SIGTERM')
    running.child.kill('SIGTERM')
    const main = await running.result
    expect(main.exitCode).toBe(1)
  })
})
