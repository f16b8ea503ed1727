import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('runtime, pause, restart and wait, in process', () => {
  const t = useInProcessHub([
    { id: SPACE, hardware: 't4-small' },
    { id: 'acme/asleep', stage: 'SLEEPING' }
  ])

  it('runtime reads and writes nothing', async () => {
    const run = await t.run({ 'space-id': SPACE })
    expect(run.writes).toEqual([])
    expect(run.result).toMatchObject({ changed: false, summary: 'Stage RUNNING.' })
  })

  it('pause pauses and waits for PAUSED; a paused Space is left alone', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'pause' })
    expect(run.writes).toEqual([`POST /api/spaces/${SPACE}/pause`])
    expect(run.result.after?.stage).toBe('PAUSED')
    const again = await t.run({ 'space-id': SPACE, operation: 'pause' })
    expect(again.writes).toEqual([])
    expect(again.result.summary).toBe('Already paused.')
  })

  it('restart waits until the Space runs again; factory-reboot asks for a rebuild', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'restart', 'factory-reboot': 'true' })
    expect(run.writes).toEqual([`POST /api/spaces/${SPACE}/restart?factory=true`])
    expect(run.result.after?.stage).toBe('RUNNING')
    expect(run.result.summary).toContain('Factory rebuild requested and the Space is running again')
  })

  it('wait wakes a sleeping Space and returns when it runs', async () => {
    const run = await t.run({ 'space-id': 'acme/asleep', operation: 'wait' })
    expect(run.writes).toEqual(['POST /api/spaces/acme/asleep/restart'])
    expect(run.result.after?.stage).toBe('RUNNING')
  })

  it('a missing Space fails before any write', async () => {
    await expect(t.run({ 'space-id': 'acme/missing', operation: 'pause' })).rejects.toMatchObject({
      code: 'not-found'
    })
  })
})
