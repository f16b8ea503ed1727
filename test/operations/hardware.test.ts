import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('request-hardware, in process', () => {
  const t = useInProcessHub([{ id: SPACE, timings: { buildMs: 90_000, startMs: 3_000 } }])

  it('requests the flavor once and returns when the Space runs on it', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    expect(run.writes).toEqual([`POST /api/spaces/${SPACE}/hardware {"flavor":"t4-small"}`])
    expect(run.result.after).toMatchObject({
      stage: 'RUNNING',
      hardware: 't4-small',
      requestedHardware: 't4-small'
    })
    expect(t.hub.space(SPACE)?.runtime).toMatchObject({ stage: 'RUNNING', hardware: { current: 't4-small' } })
    expect(run.result.changed).toBe(true)
  })

  it('sends the sleep time with the flavor', async () => {
    const run = await t.run({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 't4-small',
      'sleep-time': '30m'
    })
    expect(run.writes).toEqual([
      `POST /api/spaces/${SPACE}/hardware {"flavor":"t4-small","sleepTimeSeconds":1800}`
    ])
  })

  it('never sends an already requested flavor again (a request restarts the Space)', async () => {
    await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    const again = await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    expect(again.writes).toEqual([])
    expect(again.result).toMatchObject({ changed: false, summary: expect.stringContaining('not restarted') })
  })

  it('waits for a pending request without sending it again', async () => {
    await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 'a10g-small', wait: 'false' })
    const pending = await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 'a10g-small' })
    expect(pending.writes).toEqual([])
    expect(pending.result.summary).toContain('Waited for the pending request of a10g-small')
    expect(pending.result.after).toMatchObject({ stage: 'RUNNING', hardware: 'a10g-small' })
  })

  it('does not send a sleep time to cpu-basic, and says why', async () => {
    await t.run({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' })
    const down = await t.run({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 'cpu-basic',
      'sleep-time': '1h'
    })
    expect(down.writes).toEqual([`POST /api/spaces/${SPACE}/hardware {"flavor":"cpu-basic"}`])
    expect(down.warnings.join('\n')).toContain('The sleep time is not sent')
  })
})

describe('set-sleep-time, in process', () => {
  const t = useInProcessHub([{ id: SPACE, hardware: 't4-small' }])

  it('sets the sleep time without waiting (it does not restart the Space)', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': '2h' })
    expect(run.writes).toEqual([`POST /api/spaces/${SPACE}/sleeptime {"seconds":7200}`])
    expect(run.result.after?.sleepTime).toBe(7200)
  })

  it('reads "never" as -1 and sends nothing when it is already so', async () => {
    await t.run({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': 'never' })
    const again = await t.run({ 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': 'never' })
    expect(again.writes).toEqual([])
    expect(again.result.summary).toContain('already')
  })
})
