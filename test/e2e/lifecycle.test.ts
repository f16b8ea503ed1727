/** pause, restart, wait, and the post step's pause and downgrade, against the emulated Hub. */
import { describe, expect, it } from '@jest/globals'
import { errors, runJob, runStep, SPACE, useHub } from './fixture.js'

describe('pause and restart', () => {
  const t = useHub([
    {
      id: SPACE,
      hardware: 't4-small',
      sleepTime: 3600,
      timings: { staleMs: 100, buildMs: 300, startMs: 200 }
    }
  ])

  it('pauses and reports PAUSED at once; pausing again changes nothing', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'pause' }))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ stage: 'PAUSED', hardware: '', 'requested-hardware': 't4-small' })
    const again = await runStep('main', t.step({ 'space-id': SPACE, operation: 'pause' }))
    expect(again.stdout).toContain('Already paused.')
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/pause`])
  })

  it('restarts a paused Space and waits until it runs again', async () => {
    t.hub.updateSpace(SPACE, { stage: 'PAUSED' })
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'restart' }))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ stage: 'RUNNING', hardware: 't4-small' })
    expect(main.stdout).toMatch(/BUILDING \(requested t4-small\) \+/)
  })

  it('sends a factory rebuild as the factory query', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'restart', 'factory-reboot': 'true' })
    )
    expect(main.exitCode).toBe(0)
    const restart = t.hub.requests().find(r => r.path.endsWith('/restart'))
    expect(restart?.query).toEqual({ factory: 'true' })
  })

  it('fails fast when waiting for a paused Space, with what to do', async () => {
    t.hub.updateSpace(SPACE, { stage: 'PAUSED' })
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'wait' }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('acme/eval-app is PAUSED')
    expect(errors(main)[0]).toContain('operation: restart')
  })

  it('wakes a sleeping Space and waits for it', async () => {
    t.hub.updateSpace(SPACE, { stage: 'SLEEPING' })
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'wait' }))
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('The Space is asleep: waking it with a restart.')
    expect(main.outputs.stage).toBe('RUNNING')
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/restart`])
  })
})

describe('teardown', () => {
  const t = useHub([{ id: SPACE, hardware: 't4-small', sleepTime: null }])

  it('pauses in post after a read-only step, and is idempotent', async () => {
    const { main, post } = await runJob(t.step({ 'space-id': SPACE, teardown: 'pause' }))
    expect(main.exitCode).toBe(0)
    expect(post.stdout).toContain('Paused acme/eval-app.')
    const again = await runStep('post', {
      ...t.step({ 'space-id': SPACE, teardown: 'pause' }),
      state: main.state
    })
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('already paused')
    expect(t.writes()).toEqual([`POST /api/spaces/${SPACE}/pause`])
  })

  it('warns, and does not fail, when the Space is gone by the post step', async () => {
    const { main } = await runJob(t.step({ 'space-id': SPACE, teardown: 'downgrade' }))
    const state = { teardown: (main.state.teardown ?? '').replace(SPACE, 'acme/deleted-app') }
    const post = await runStep('post', {
      ...t.step({ 'space-id': 'acme/deleted-app', teardown: 'downgrade' }),
      state
    })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('::warning::acme/deleted-app is gone or not visible; nothing to tear down.')
  })

  it('fails loudly when the teardown cannot be done, since paid hardware may be left running', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, teardown: 'downgrade' }))
    t.hub.fault({
      method: 'POST',
      path: `/api/spaces/${SPACE}/hardware`,
      kind: 'status',
      status: 403,
      body: '{"error":"no"}',
      times: Infinity
    })
    const post = await runStep('post', {
      ...t.step({ 'space-id': SPACE, teardown: 'downgrade' }),
      state: main.state
    })
    expect(post.exitCode).toBe(1)
    expect(errors(post)[0]).toContain('Teardown (downgrade) of acme/eval-app failed')
    expect(errors(post)[0]).toContain('may still be running on paid hardware')
  })

  it('does nothing in post when main failed before reading the Space', async () => {
    const { main, post } = await runJob(
      t.step({ 'space-id': SPACE, operation: 'pause', teardown: 'restore' }, { HF_TOKEN: '' })
    )
    expect(main.exitCode).toBe(1)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('No teardown to do.')
    expect(t.hub.requests()).toEqual([])
  })
})
