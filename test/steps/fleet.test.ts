/**
 * The many-Spaces step in process (`space-id` with several lines or patterns), against the emulator on one fake
 * clock: the `spaces` output, the summary, the teardown list, a failure in one Space, dry run, and the pacing on the
 * Hub's rate-limit budget.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mainStep } from '../../src/steps/main-step.js'
import {
  DEFAULT_ACCOUNTS,
  startEmulator,
  type Emulator,
  type EmulatorOptions
} from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'

const TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const APPS = ['acme/a-app', 'acme/b-app', 'acme/c-app']

describe('the many-Spaces step, in process', () => {
  let hub: Emulator
  let clock: FakeClock
  async function start(options: Omit<EmulatorOptions, 'clock'> = {}): Promise<void> {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
    hub = await startEmulator({ clock, ...options })
    for (const id of APPS) hub.addSpace({ id, timings: { buildMs: 60_000, startMs: 5_000 } })
    hub.addSpace({ id: 'acme/notes', sdk: 'static' })
  }
  afterEach(async () => {
    await hub.close()
  })

  async function step(inputs: Record<string, string>): Promise<FakeRunner> {
    const runner = fakeRunner({ inputs: { endpoint: hub.url, ...inputs }, env: { HF_TOKEN: TOKEN }, clock })
    await mainStep(runner)
    return runner
  }
  const spacesOutput = (runner: FakeRunner): Record<string, Record<string, unknown>> =>
    JSON.parse(runner.outputs.spaces ?? '{}') as Record<string, Record<string, unknown>>
  const writes = (): string[] =>
    hub
      .requests()
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path}`)

  it('upgrades each listed Space, reports each, and saves one teardown state per Space', async () => {
    await start()
    const runner = await step({
      'space-id': APPS.join('\n'),
      operation: 'request-hardware',
      hardware: 't4-small',
      teardown: 'restore'
    })
    expect(runner.failures).toEqual([])
    expect(runner.lines[0]).toBe(`3 Space(s): ${APPS.join(', ')}.`)
    const output = spacesOutput(runner)
    expect(Object.keys(output)).toEqual(APPS)
    for (const id of APPS) {
      expect(output[id]).toMatchObject({ stage: 'RUNNING', hardware: 't4-small', error: null })
      expect(hub.space(id)?.runtime).toMatchObject({ stage: 'RUNNING' })
    }
    const saved = JSON.parse(runner.saved['teardown-fleet'] ?? '[]') as { spaceId: string; mode: string }[]
    expect(saved.map(s => [s.spaceId, s.mode])).toEqual(APPS.map(id => [id, 'restore']))
    expect(runner.summary).toContain('✅ Hugging Face Spaces: <code>request-hardware</code> on 3 Space(s)')
    expect(runner.summary).toContain('Teardown planned: <code>restore</code>')
  })

  it('resolves owner/* patterns through the listing, and warns for one that matches nothing', async () => {
    await start()
    const runner = await step({ 'space-id': 'acme/*-app\nacme/b-app\nacme/zz-*', operation: 'runtime' })
    expect(runner.failures).toEqual([])
    // The listed id first, then the pattern's other matches; the static Space does not match.
    expect(Object.keys(spacesOutput(runner))).toEqual(['acme/b-app', 'acme/a-app', 'acme/c-app'])
    expect(runner.lines).toContain('warning: acme/zz-* matches no Space the token can see.')
    expect(writes()).toEqual([])
  })

  it('fails when no Space matches at all', async () => {
    await start()
    const runner = await step({ 'space-id': 'acme/zz-*', operation: 'runtime' })
    expect(runner.failures).toEqual([expect.stringContaining('No Space matches `space-id`.')])
    expect(runner.summary).toContain('❌')
    expect(spacesOutput(runner)).toEqual({})
  })

  it('goes on when one Space fails, then fails naming it', async () => {
    await start()
    hub.fault({
      method: 'POST',
      path: '/api/spaces/acme/b-app/restart',
      kind: 'status',
      status: 403,
      times: Infinity
    })
    const runner = await step({ 'space-id': APPS.join('\n'), operation: 'restart' })
    expect(runner.failures).toEqual([expect.stringMatching(/^1 of 3 Spaces failed:\n- acme\/b-app: /)])
    expect(runner.lines).toContainEqual(expect.stringMatching(/^error: acme\/b-app: /))
    const output = spacesOutput(runner)
    expect(output['acme/a-app']?.error).toBeNull()
    expect(output['acme/c-app']?.error).toBeNull()
    expect(output['acme/b-app']?.error).toEqual(expect.any(String))
    expect(runner.summary).toContain('1 of 3 failed.')
    expect(writes().filter(w => w.endsWith('/restart')).length).toBeGreaterThanOrEqual(3)
  })

  it('dry run lists each Space’s writes and sends none', async () => {
    await start()
    const runner = await step({
      'space-id': 'acme/a-app\nacme/b-app',
      operation: 'request-hardware',
      hardware: 't4-small',
      teardown: 'restore',
      'dry-run': 'true'
    })
    expect(runner.failures).toEqual([])
    expect(writes()).toEqual([])
    expect(runner.lines).toContain('acme/a-app: dry run: 1 write(s) would be sent.')
    expect(runner.lines).toContain(
      'acme/b-app:   POST /api/spaces/acme/b-app/hardware {"flavor":"t4-small","sleepTimeSeconds":3600}'
    )
    expect(runner.summary).toContain('<strong>Dry run</strong>: no write was sent.')
    expect(runner.summary).toContain('acme/a-app: 1 write(s) would be sent')
    // A dry run changes nothing, so there is nothing to tear down.
    expect(runner.saved['teardown-fleet']).toBeUndefined()
  })

  it('checks each app with health-path, and fails a Space whose app never answers', async () => {
    await start()
    hub.updateSpace('acme/a-app', { app: { routes: { '/healthz': 200 } } })
    hub.updateSpace('acme/b-app', { app: { routes: { '/healthz': 503 } } })
    const runner = await step({
      'space-id': 'acme/a-app\nacme/b-app',
      operation: 'restart',
      'health-path': '/healthz',
      timeout: '5m'
    })
    expect(runner.failures).toEqual([expect.stringMatching(/^1 of 2 Spaces failed:\n- acme\/b-app: /)])
    expect(hub.appRequests('acme/a-app').length).toBeGreaterThan(0)
  })

  it('refuses a flavor over the price ceiling before reading any Space', async () => {
    await start()
    const runner = await step({
      'space-id': APPS.join('\n'),
      operation: 'request-hardware',
      hardware: 'a100-large',
      'max-hourly-cost': '1'
    })
    expect(runner.failures).toEqual([expect.stringContaining('a100-large')])
    expect(writes()).toEqual([])
    expect(spacesOutput(runner)).toEqual({})
  })

  it('waits for the rate-limit window to reset rather than run into a 429', async () => {
    await start({ rateLimit: { quota: 10, windowSeconds: 300 } })
    // The listing leaves 9 requests in the window: too few for the Spaces in flight.
    const runner = await step({ 'space-id': 'acme/*-app', operation: 'runtime' })
    expect(runner.failures).toEqual([])
    expect(runner.lines).toContainEqual(
      expect.stringMatching(/requests left in the Hub's rate-limit window: the next Space waits/)
    )
    expect(hub.requests().filter(r => r.status === 429)).toEqual([])
    expect(clock.sleeps[0]).toBeGreaterThan(290_000)
  })
})
