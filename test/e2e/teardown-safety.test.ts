/**
 * The post step undoes only what its own job did: it deletes only a Space its step created, leaves a Space another job
 * moved on, undoes a hardware request that lands after a cancellation, and refuses a state it cannot trust.
 */
import { describe, expect, it } from '@jest/globals'
import { until, type StepOptions } from '../harness/built-action.js'
import { errors, runJob, runStep, SPACE, startStep, useHub, type Fixture } from './fixture.js'

const timings = { staleMs: 100, buildMs: 200, startMs: 100 }
const CREATE = '/api/repos/create'

/** The flavor the Space is set to, and its sleep time, as the emulated Hub holds them. */
function setting(t: Fixture): { requested: unknown; sleep: unknown } {
  const runtime = t.hub.space(SPACE)?.runtime ?? {}
  return { requested: (runtime.hardware as { requested?: unknown }).requested, sleep: runtime.gcTimeout }
}

describe('teardown: delete deletes only a Space this step created', () => {
  const t = useHub([{ id: SPACE, timings }])
  const create = { 'space-id': SPACE, operation: 'create', sdk: 'gradio', teardown: 'delete', wait: 'false' }

  it('leaves a Space that existed before the step, and says how to delete it', async () => {
    const { main, post } = await runJob(t.step(create))
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('::warning::teardown: delete will not delete acme/eval-app')
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('not created by this step')
    expect(post.stdout).toContain('operation: delete')
    expect(t.hub.space(SPACE)).toBeDefined()
    expect(t.writes().filter(w => w.startsWith('DELETE'))).toEqual([])
  })

  it('leaves a Space someone else created between the read and the create (409)', async () => {
    const id = 'acme/race'
    const hold = t.hub.hold({ method: 'POST', path: CREATE })
    const main = startStep('main', t.step({ ...create, 'space-id': id }))
    await hold.arrived
    t.hub.addSpace({ id, timings })
    hold.release()
    const done = await main.result
    expect(done.exitCode).toBe(0)
    const post = await runStep('post', { ...t.step({ ...create, 'space-id': id }), state: done.state })
    expect(post.exitCode).toBe(0)
    expect(t.hub.space(id)).toBeDefined()
    expect(t.writes().filter(w => w.startsWith('DELETE'))).toEqual([])
  })

  it('never deletes on a guess when the answer to the create was lost: it fails loudly instead', async () => {
    const id = 'acme/lost-answer'
    const hold = t.hub.hold({ method: 'POST', path: CREATE })
    const main = startStep('main', t.step({ ...create, 'space-id': id }))
    await hold.arrived
    // Someone's Space now exists, and the connection drops before the action learns who made it.
    t.hub.addSpace({ id, timings })
    t.hub.fault({ method: 'POST', path: CREATE, kind: 'reset' })
    hold.release()
    const done = await main.result
    expect(done.exitCode).toBe(1)
    const post = await runStep('post', { ...t.step({ ...create, 'space-id': id }), state: done.state })
    expect(post.exitCode).toBe(1)
    expect(errors(post)[0]).toContain('not deleted on a guess')
    expect(t.hub.space(id)).toBeDefined()
    expect(t.writes().filter(w => w.startsWith('DELETE'))).toEqual([])
  })
})

describe('overlapping jobs with teardown: restore', () => {
  const t = useHub([{ id: SPACE, timings }])
  const upgrade = (hardware: string) =>
    t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware, teardown: 'restore' })

  it("the first job's post step leaves the GPU the second job is still using", async () => {
    const a = await runStep('main', upgrade('t4-small'))
    const b = await runStep('main', upgrade('a10g-small'))
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    const postA = await runStep('post', { ...upgrade('t4-small'), state: a.state })
    expect(postA.exitCode).toBe(0)
    expect(postA.stdout).toContain('is on a10g-small, not t4-small')
    expect(setting(t).requested).toBe('a10g-small')
    // B puts back what it found, with the safety sleep time A had set, so the Space stops billing once idle.
    const postB = await runStep('post', { ...upgrade('a10g-small'), state: b.state })
    expect(postB.exitCode).toBe(0)
    expect(setting(t).requested).toBe('t4-small')
    expect(setting(t).sleep).toBe(3600)
  })

  it('ends on the free flavor when the later job tears down first', async () => {
    const a = await runStep('main', upgrade('t4-small'))
    const b = await runStep('main', upgrade('a10g-small'))
    await runStep('post', { ...upgrade('a10g-small'), state: b.state })
    const postA = await runStep('post', { ...upgrade('t4-small'), state: a.state })
    expect(postA.exitCode).toBe(0)
    expect(setting(t).requested).toBe('cpu-basic')
  })
})

describe('a hardware request in flight when the job is cancelled', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('is waited for by the post step and undone when it lands', async () => {
    const step = t.step({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 't4-small',
      teardown: 'restore'
    })
    const hold = t.hub.hold({ method: 'POST', path: `/api/spaces/${SPACE}/hardware` })
    const main = startStep('main', step)
    await hold.arrived
    main.child.kill('SIGINT')
    const cancelled = await main.result
    expect(cancelled.exitCode).not.toBe(0)
    expect(setting(t).requested).toBe('cpu-basic')

    const reads = (): number => t.hub.requests().filter(r => r.path.endsWith('/runtime')).length
    const readsBefore = reads()
    const post = startStep('post', { ...step, state: cancelled.state })
    // The request lands only after the post step has read the Space and found it as it was.
    await until(() => reads() > readsBefore, 30_000)
    hold.release()
    const done = await post.result
    expect(done.exitCode).toBe(0)
    expect(done.stdout).toContain('got no answer: watching')
    expect(done.stdout).toContain('t4-small → cpu-basic')
    expect(setting(t).requested).toBe('cpu-basic')
  })
})

describe('a state the post step cannot trust', () => {
  const t = useHub([
    { id: SPACE, timings },
    { id: 'acme/other', timings }
  ])
  const step = (): StepOptions => t.step({ 'space-id': SPACE, teardown: 'delete' })

  it('about another Space is refused: nothing is deleted, and the step fails', async () => {
    const forged = JSON.stringify({ spaceId: 'acme/other', endpoint: t.hub.url, mode: 'delete' })
    const post = await runStep('post', { ...step(), state: { teardown: forged } })
    expect(post.exitCode).toBe(1)
    expect(errors(post)[0]).toContain('names the Space "acme/other"')
    expect(t.hub.space('acme/other')).toBeDefined()
    expect(t.hub.requests()).toEqual([])
  })

  it('sending the token over plain http is refused before any request', async () => {
    const forged = JSON.stringify({ spaceId: SPACE, endpoint: 'http://hub.example', mode: 'delete' })
    const post = await runStep('post', { ...step(), state: { teardown: forged } })
    expect(post.exitCode).toBe(1)
    expect(errors(post)[0]).toContain('plain http')
    expect(t.hub.requests()).toEqual([])
  })

  it('that is corrupted fails loudly, never "No teardown to do"', async () => {
    const post = await runStep('post', {
      ...t.step({ 'space-id': SPACE, teardown: 'restore' }),
      state: { teardown: '{"spaceId":"acme/eval-app","mode":' }
    })
    expect(post.exitCode).toBe(1)
    expect(post.stdout).not.toContain('No teardown to do')
    expect(errors(post)[0]).toContain('paid hardware')
    expect(t.hub.space(SPACE)).toBeDefined()
  })
})
