/**
 * The post step in process, fed the state the main step saved (as the runner does), against the emulator on one
 * fake clock: each teardown mode, several Spaces, a state it cannot use, and the failures that may leave paid
 * hardware running.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mainStep } from '../../src/steps/main-step.js'
import { postStep } from '../../src/steps/post-step.js'
import { DEFAULT_ACCOUNTS, startEmulator, type Emulator } from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { fakeRunner, keylessJob, type FakeRunner } from '../support/fake-runner.js'

const TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/eval-app'
const OTHER = 'acme/other-app'

describe('the post step, in process', () => {
  let hub: Emulator
  let clock: FakeClock
  beforeEach(async () => {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
    hub = await startEmulator({ clock })
    hub.addSpace({ id: SPACE, timings: { buildMs: 60_000, startMs: 5_000 } })
    hub.addSpace({ id: OTHER, timings: { buildMs: 60_000, startMs: 5_000 } })
  })
  afterEach(async () => {
    await hub.close()
  })

  const runner = (inputs: Record<string, string>, state?: Record<string, string>): FakeRunner =>
    fakeRunner({
      inputs: { 'space-id': SPACE, endpoint: hub.url, ...inputs },
      env: { HF_TOKEN: TOKEN },
      clock,
      ...(state ? { state } : {})
    })

  /** Runs the main step, then the post step on the state it saved; the post step's runner is returned. */
  async function job(inputs: Record<string, string>, between?: () => void): Promise<FakeRunner> {
    const main = runner(inputs)
    await mainStep(main)
    expect(main.failures).toEqual([])
    between?.()
    hub.clearRequests()
    const post = runner(inputs, main.saved)
    await postStep(post)
    return post
  }
  const writes = (): string[] =>
    hub
      .requests()
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path.replace(/^\/api\/spaces\//, '')}${r.body ? ` ${r.body}` : ''}`)

  it('restore puts the old flavor back and adds the teardown and what the flavor cost to the summary', async () => {
    const post = await job(
      { operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' },
      () => {
        clock.advance(30 * 60_000)
      }
    )
    expect(post.failures).toEqual([])
    expect(writes()).toEqual([`POST ${SPACE}/hardware {"flavor":"cpu-basic"}`])
    expect(post.lines).toContain(`Restored ${SPACE}: hardware t4-small → cpu-basic.`)
    expect(post.summary).toContain(`${SPACE} after the job`)
    expect(post.summary).toContain('teardown (restore)')
    // Billing runs from the main step's guard to the post step: the main step's wait plus the 30 minutes.
    expect(post.summary).toMatch(
      /💰 t4-small at \$0\.40\/hour for 31m \d+s during this job: at most \$0\.2\d/
    )
  })

  it('pause pauses the Space and puts back the sleep time from before the job', async () => {
    hub.updateSpace(SPACE, { sleepTime: 600 })
    const post = await job({ operation: 'request-hardware', hardware: 't4-small', teardown: 'pause' })
    expect(post.failures).toEqual([])
    expect(writes()).toEqual([`POST ${SPACE}/pause`, `POST ${SPACE}/sleeptime {"seconds":600}`])
    expect(post.lines).toContain(`Paused ${SPACE}. Sleep time set back to 10m.`)
    expect(hub.space(SPACE)?.runtime.stage).toBe('PAUSED')
  })

  it('downgrade moves the Space to cpu-basic, and is a no-op on cpu-basic', async () => {
    const post = await job({ operation: 'request-hardware', hardware: 't4-small', teardown: 'downgrade' })
    expect(writes()).toEqual([`POST ${SPACE}/hardware {"flavor":"cpu-basic"}`])
    expect(post.lines).toContain(`Downgraded ${SPACE} from t4-small to cpu-basic.`)
    const again = await job({ operation: 'restart', teardown: 'downgrade' })
    expect(again.failures).toEqual([])
    expect(writes()).toEqual([])
    expect(again.lines).toContain(`${SPACE} is already on cpu-basic.`)
  })

  it('delete deletes the Space this step created, and never one that existed', async () => {
    const created = await job({
      operation: 'create',
      'space-id': 'acme/preview',
      sdk: 'gradio',
      teardown: 'delete'
    })
    expect(created.failures).toEqual([])
    expect(writes()).toEqual([
      'DELETE /api/repos/delete {"name":"preview","organization":"acme","type":"space"}'
    ])
    expect(hub.space('acme/preview')).toBeUndefined()

    const existing = await job({ operation: 'create', sdk: 'gradio', teardown: 'delete' })
    expect(writes()).toEqual([])
    expect(existing.lines).toContain(`${SPACE} left as it is.`)
    expect(existing.lines).toContainEqual(expect.stringMatching(/^warning: .* was not created by this step/))
  })

  it('teardown none saves no state, so the post step has nothing to do', async () => {
    const post = await job({ operation: 'request-hardware', hardware: 't4-small', teardown: 'none' })
    expect(post.failures).toEqual([])
    expect(post.lines).toEqual(['No teardown to do.'])
    expect(hub.requests()).toEqual([])
  })

  it('a Space deleted since is a warning, not a failure', async () => {
    const post = await job({ operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' }, () =>
      hub.fault({ path: `/api/spaces/${SPACE}/runtime`, kind: 'status', status: 404, times: Infinity })
    )
    expect(post.failures).toEqual([])
    expect(post.lines).toContain(`warning: ${SPACE} is gone or not visible; nothing to tear down.`)
  })

  it('fails loudly when the teardown cannot be done: paid hardware may be left running', async () => {
    const post = await job({ operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' }, () =>
      hub.fault({
        method: 'POST',
        path: `/api/spaces/${SPACE}/hardware`,
        kind: 'status',
        status: 500,
        times: Infinity
      })
    )
    expect(post.failures).toEqual([
      expect.stringMatching(
        new RegExp(`^Teardown \\(restore\\) of ${SPACE} failed: [^]*may still be running on paid hardware`)
      )
    ])
  })

  it('refuses a state that does not match its inputs, and tears nothing down', async () => {
    const main = runner({ operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' })
    await mainStep(main)
    hub.clearRequests()
    const post = runner({ operation: 'request-hardware', teardown: 'pause' }, main.saved)
    await postStep(post)
    expect(post.failures).toEqual([
      expect.stringMatching(
        /teardown mode "restore", but this step's inputs say "pause"[^]*No teardown was done/
      )
    ])
    expect(hub.requests()).toEqual([])
  })

  it('fails on a corrupt state instead of saying there is nothing to do', async () => {
    const post = runner({ teardown: 'restore' }, { teardown: '{not json' })
    await postStep(post)
    expect(post.failures).toEqual([expect.stringContaining('No teardown was done')])
    const fleet = runner({ teardown: 'restore' }, { 'teardown-fleet': '{"not":"a list"}' })
    await postStep(fleet)
    expect(fleet.failures).toEqual([expect.stringContaining('not a list')])
    expect(hub.requests()).toEqual([])
  })

  it('without a state (the main step never ran) does nothing', async () => {
    const post = runner({ teardown: 'restore' })
    await postStep(post)
    expect(post.failures).toEqual([])
    expect(post.lines).toEqual(['No teardown to do.'])
  })

  it('signs in again without a token in a keyless job', async () => {
    hub.updateSpace(SPACE, { trustedPublishers: [{ repository: 'acme/ci' }] })
    const inputs = { operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' }
    const keyless = (state?: Record<string, string>): FakeRunner =>
      fakeRunner({
        inputs: { 'space-id': SPACE, endpoint: hub.url, ...inputs },
        ...keylessJob(hub),
        clock,
        ...(state ? { state } : {})
      })
    const main = keyless()
    await mainStep(main)
    expect(main.failures).toEqual([])
    const post = keyless(main.saved)
    await postStep(post)
    expect(post.failures).toEqual([])
    expect(hub.space(SPACE)?.runtime).toMatchObject({ hardware: { requested: 'cpu-basic' } })
    expect(post.masked).toHaveLength(2)
  })

  describe('after several Spaces', () => {
    const inputs = { 'space-id': `${SPACE}\n${OTHER}`, operation: 'request-hardware', hardware: 't4-small' }

    it('puts each Space back', async () => {
      const post = await job({ ...inputs, teardown: 'restore' })
      expect(post.failures).toEqual([])
      expect(writes().sort()).toEqual([
        `POST ${SPACE}/hardware {"flavor":"cpu-basic"}`,
        `POST ${OTHER}/hardware {"flavor":"cpu-basic"}`
      ])
      expect(post.lines).toContain(`Restored ${OTHER}: hardware t4-small → cpu-basic.`)
    })

    it('warns for a Space that is gone and fails naming one that could not be put back', async () => {
      const post = await job({ ...inputs, teardown: 'downgrade' }, () => {
        hub.fault({ path: `/api/spaces/${OTHER}/runtime`, kind: 'status', status: 404, times: Infinity })
        hub.fault({ path: `/api/spaces/${SPACE}/hardware`, kind: 'status', status: 500, times: Infinity })
      })
      expect(post.lines).toContain(`warning: ${OTHER} is gone or not visible; nothing to tear down.`)
      expect(post.failures).toEqual([
        expect.stringMatching(
          new RegExp(`^Teardown \\(downgrade\\) failed for 1 of 2 Spaces:\\n- ${SPACE}: [^]*paid hardware`)
        )
      ])
    })

    it('has nothing to do for an empty list', async () => {
      const post = runner({ teardown: 'restore' }, { 'teardown-fleet': '[]' })
      await postStep(post)
      expect(post.failures).toEqual([])
      expect(post.lines).toEqual(['No teardown to do.'])
    })
  })
})
