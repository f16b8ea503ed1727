/** Borrow a GPU for a job and give it back: request-hardware, the wait that means ready, and the teardown. */
import { describe, expect, it } from '@jest/globals'
import {
  errors,
  expectSecretKept,
  OWNER_TOKEN,
  polledStages,
  runJob,
  runStep,
  SPACE,
  startStep,
  useHub
} from './fixture.js'
import { until } from '../harness/built-action.js'

describe('request-hardware', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 400, buildMs: 600, startMs: 300 } }])

  it('upgrades, waits until the new flavor runs, and restores the old settings in post', async () => {
    const { main, post } = await runJob(
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 't4-small',
        'sleep-time': '30m',
        teardown: 'restore'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toEqual({
      stage: 'RUNNING',
      hardware: 't4-small',
      'requested-hardware': 't4-small',
      'sleep-time': '1800',
      'space-url': `${t.hub.url}/spaces/${SPACE}`,
      'app-url': 'https://acme-eval-app.hf.space',
      'previous-hardware': 'cpu-basic',
      'previous-sleep-time': '172800'
    })
    // Outputs went out before the wait too, so a later step could clean up even if the wait had failed.
    const stages = main.outputWrites.filter(([name]) => name === 'hardware').map(([, value]) => value)
    expect(stages).toEqual(['cpu-basic', 't4-small'])
    expect(main.summary).toContain('<code>t4-small</code> → <code>t4-small</code>')
    expect(main.summary).toContain('restore')
    expect(JSON.parse(main.state.teardown ?? '')).toEqual({
      spaceId: SPACE,
      endpoint: t.hub.url,
      mode: 'restore',
      before: { stage: 'RUNNING', hardware: 'cpu-basic', sleepTime: 172800 },
      billing: { flavor: 't4-small', usdPerHour: 0.4, since: expect.any(Number) },
      // What this job set, saved before the request went out and marked landed once answered.
      set: { hardware: 't4-small', sleepTime: 1800, landed: true, at: expect.any(Number) }
    })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('Restored acme/eval-app: hardware t4-small → cpu-basic')
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/hardware {"flavor":"t4-small","sleepTimeSeconds":1800}`,
      `POST /api/spaces/${SPACE}/hardware {"flavor":"cpu-basic"}`
    ])
    expect(t.hub.space(SPACE)?.runtime).toMatchObject({ hardware: { requested: 'cpu-basic' } })
    for (const step of [main, post]) expectSecretKept(step, OWNER_TOKEN)
  })

  it('does not restart a Space that already runs on the flavor', async () => {
    t.hub.updateSpace(SPACE, { hardware: 't4-small', sleepTime: null })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('Already running on t4-small; not restarted.')
    expect(t.writes()).toEqual([])
    expect(main.outputs['previous-hardware']).toBe('t4-small')
  })

  it('sets only the sleep time when the flavor is already there', async () => {
    t.hub.updateSpace(SPACE, { hardware: 't4-small', sleepTime: null })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small', 'sleep-time': '1h' })
    )
    expect(main.exitCode).toBe(0)
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/sleeptime {"seconds":3600}`])
    expect(main.outputs['sleep-time']).toBe('3600')
    expect(main.outputs['previous-sleep-time']).toBe('never')
  })

  it('refuses an unknown flavor before any write, naming the closest ones', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-smal' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('"t4-smal" is not a hardware flavor')
    expect(errors(main)[0]).toContain('Closest valid flavors: t4-small')
    expect(t.writes()).toEqual([])
  })

  it('warns that cpu-basic ignores a custom sleep time, and does not send it', async () => {
    t.hub.updateSpace(SPACE, { hardware: 't4-small', sleepTime: null })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 'cpu-basic', 'sleep-time': '1h' })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(/::warning::cpu-basic Spaces always sleep after 48 hours/)
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/hardware {"flavor":"cpu-basic"}`])
  })

  it('does not wait with wait: false, and still tears down', async () => {
    const { main, post } = await runJob(
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 't4-small',
        wait: 'false',
        teardown: 'downgrade'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs['requested-hardware']).toBe('t4-small')
    expect(main.outputs.hardware).toBe('cpu-basic')
    expect(post.stdout).toContain('Downgraded acme/eval-app from t4-small to cpu-basic')
  })
})

describe('set-sleep-time', () => {
  const t = useHub([{ id: SPACE, hardware: 't4-small', sleepTime: null }])

  it('sets the sleep time without restarting or waiting', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': '15m' })
    )
    expect(main.exitCode).toBe(0)
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/sleeptime {"seconds":900}`])
    expect(main.outputs).toMatchObject({
      'sleep-time': '900',
      'previous-sleep-time': 'never',
      stage: 'RUNNING'
    })
  })

  it('sends never as -1, and skips a value that is already set', async () => {
    await runStep('main', t.step({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': '2h' }))
    const again = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': '7200' })
    )
    expect(again.stdout).toContain('Sleep time is already 2h.')
    await runStep('main', t.step({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': 'never' }))
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/sleeptime {"seconds":7200}`,
      `POST /api/spaces/${SPACE}/sleeptime {"seconds":-1}`
    ])
  })
})

describe('request-hardware on a clock the test moves', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 1500, buildMs: 300, startMs: 200 } }], {
    fakeClock: true
  })

  it('is not fooled by the old container still RUNNING on the old flavor', async () => {
    const running = startStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 'a10g-small' })
    )
    // The old container answers RUNNING on cpu-basic until the clock moves: the action must keep polling.
    const stale = (): number => polledStages(t.hub).filter(p => p.current === 'cpu-basic').length
    await until(() => stale() >= 2, 20_000)
    t.clock.advance(1500)
    await until(() => polledStages(t.hub).some(p => p.stage !== 'RUNNING'), 20_000)
    t.clock.advance(500)
    const main = await running.result
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(/RUNNING on cpu-basic \(requested a10g-small\)/)
    expect(main.outputs.hardware).toBe('a10g-small')
    const stages = polledStages(t.hub)
    expect(stages.at(-1)).toEqual({ stage: 'RUNNING', current: 'a10g-small' })
    expect(stages.filter(p => p.stage === 'RUNNING' && p.current === 'a10g-small')).toHaveLength(1)
  })
})
