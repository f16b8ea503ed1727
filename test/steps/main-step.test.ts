import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mainStep } from '../../src/steps/main-step.js'
import { DEFAULT_ACCOUNTS, startEmulator, type Emulator } from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { fakeRunner, keylessJob } from '../support/fake-runner.js'

const TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/eval-app'

describe('the main step, in process', () => {
  let hub: Emulator
  let clock: FakeClock
  beforeEach(async () => {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
    hub = await startEmulator({ clock })
    // Long enough stages that the wait sees each one, whatever the live log sleeps on the shared fake clock.
    hub.addSpace({ id: SPACE, timings: { buildMs: 60_000, startMs: 30_000 } })
  })
  afterEach(async () => {
    await hub.close()
  })
  const step = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = { HF_TOKEN: TOKEN }) =>
    fakeRunner({ inputs: { 'space-id': SPACE, endpoint: hub.url, ...inputs }, env, clock })

  it('runs the phases in order, publishes outputs and state before the wait, and writes the summary', async () => {
    const runner = step({ operation: 'request-hardware', hardware: 't4-small', teardown: 'restore' })
    await mainStep(runner)
    expect(runner.failures).toEqual([])
    expect(runner.lines.filter(line => line.startsWith('group: '))).toEqual([
      'group: Guard',
      'group: Sign in',
      'group: Observe',
      // The live log follows the upgrade's build and start.
      `group: Build log of ${SPACE} (live)`,
      `group: Run log of ${SPACE} (live)`
    ])
    expect(runner.outputs).toMatchObject({
      stage: 'RUNNING',
      hardware: 't4-small',
      'previous-hardware': 'cpu-basic'
    })
    expect(JSON.parse(runner.saved.teardown ?? '{}')).toMatchObject({ spaceId: SPACE, mode: 'restore' })
    expect(runner.summary).toContain('t4-small')
    expect(runner.masked).toContain(TOKEN)
  })

  it('sets a safety sleep time on a paid upgrade with a teardown', async () => {
    const runner = step({ operation: 'request-hardware', hardware: 't4-small', teardown: 'pause' })
    await mainStep(runner)
    expect(hub.requests().find(r => r.method === 'POST' && r.path.endsWith('/hardware'))?.body).toBe(
      '{"flavor":"t4-small","sleepTimeSeconds":3600}'
    )
    expect(JSON.parse(runner.saved.teardown ?? '{}')).toMatchObject({ safetySleep: true })
  })

  it('fails on bad input before any request, naming the input', async () => {
    const runner = step({ operation: 'request-hardware' })
    await mainStep(runner)
    expect(runner.failures).toEqual([expect.stringContaining('Input `hardware` is required')])
    expect(hub.requests()).toEqual([])
  })

  it('refuses a flavor over the price ceiling before any write', async () => {
    const runner = step({ operation: 'request-hardware', hardware: 'a100-large', 'max-hourly-cost': '1' })
    await mainStep(runner)
    expect(runner.failures).toEqual([expect.stringContaining('a100-large')])
    expect(hub.requests().filter(r => r.method !== 'GET')).toEqual([])
  })

  it('shows the build log and fails when the build fails', async () => {
    hub.updateSpace(SPACE, {
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed', buildLog: ['step 1', 'pip failed'] }
    })
    const runner = step({ operation: 'restart', 'factory-reboot': 'true' })
    await mainStep(runner)
    expect(runner.failures).toHaveLength(1)
    expect(runner.lines).toContain('group: Build log, last 2 lines')
    expect(runner.summary).toContain('pip failed')
  })

  it('explains a refusal with what whoami says about the token', async () => {
    const outsider = DEFAULT_ACCOUNTS.find(a => a.name === 'outsider')?.token ?? ''
    const runner = step({ operation: 'pause' }, { HF_TOKEN: outsider })
    await mainStep(runner)
    expect(runner.failures).toEqual([expect.stringContaining('outsider')])
  })

  it('dry-run lists the writes and sends none', async () => {
    const runner = step({ operation: 'request-hardware', hardware: 't4-small', 'dry-run': 'true' })
    await mainStep(runner)
    expect(runner.lines).toContain('Dry run: 1 write(s) would be sent:')
    expect(hub.requests().filter(r => r.method !== 'GET')).toEqual([])
  })

  it('checks the app with health-path once the Space runs', async () => {
    hub.updateSpace(SPACE, { app: { warmupMs: 1500, routes: { '/healthz': 200 } } })
    const runner = step({ operation: 'restart', 'health-path': '/healthz' })
    await mainStep(runner)
    expect(runner.failures).toEqual([])
  })

  describe('keyless sign-in', () => {
    const keyless = (inputs: Record<string, string>, getIdToken?: (audience: string) => Promise<string>) => {
      const job = keylessJob(hub)
      return fakeRunner({
        inputs: { 'space-id': SPACE, endpoint: hub.url, ...inputs },
        env: job.env,
        clock,
        getIdToken: getIdToken ?? job.getIdToken
      })
    }

    it('exchanges the job’s OIDC token for a Hub token, and masks both', async () => {
      hub.updateSpace(SPACE, { trustedPublishers: [{ repository: 'acme/ci' }] })
      const runner = keyless({ operation: 'pause' })
      await mainStep(runner)
      expect(runner.failures).toEqual([])
      expect(hub.space(SPACE)?.runtime.stage).toBe('PAUSED')
      expect(runner.masked).toHaveLength(2)
    })

    it('explains a refusal of the Space with what the job would need', async () => {
      hub.updateSpace(SPACE, { trustedPublishers: [] })
      const runner = keyless({ operation: 'pause' })
      await mainStep(runner)
      expect(runner.failures).toEqual([
        expect.stringContaining(`The Hub refused the keyless sign-in for spaces/${SPACE}`)
      ])
      expect(hub.requests().filter(r => r.method === 'POST' && r.path.endsWith('/pause'))).toEqual([])
    })

    it('fails with what to check when the job may not mint an OIDC token', async () => {
      const runner = keyless({ operation: 'pause' }, () =>
        Promise.reject(new Error('id-token: write is missing'))
      )
      await mainStep(runner)
      expect(runner.failures).toEqual([
        expect.stringMatching(/Could not get a GitHub OIDC token for .*: id-token: write is missing/)
      ])
    })
  })

  it('warns at the start when teardown: delete will delete a Space that existed before the step', async () => {
    const runner = step({ operation: 'restart', teardown: 'delete' })
    await mainStep(runner)
    expect(runner.lines).toContain(
      `warning: teardown: delete will delete ${SPACE} at the end of the job, and it existed before this step.`
    )
    const created = step({ operation: 'create', sdk: 'gradio', teardown: 'delete' })
    await mainStep(created)
    expect(created.lines).toContainEqual(expect.stringMatching(/^warning: teardown: delete will not delete/))
  })

  it('fails once, with what to check, when the outputs cannot be written', async () => {
    const runner = step({ operation: 'runtime' })
    runner.setOutput = () => {
      throw new Error('ENOENT: no such file')
    }
    await mainStep(runner)
    expect(runner.failures).toEqual([
      expect.stringMatching(/^Could not write the step outputs: ENOENT: no such file[^]*GITHUB_OUTPUT/)
    ])
    // The summary is still written.
    expect(runner.summary).toContain(SPACE)
  })

  it('says so when a failed build left no log to show', async () => {
    hub.updateSpace(SPACE, {
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed', buildLog: [] }
    })
    const runner = step({ operation: 'restart', 'factory-reboot': 'true' })
    await mainStep(runner)
    expect(runner.failures).toHaveLength(1)
    expect(runner.lines).toContain('(no log lines could be read)')
  })
})
