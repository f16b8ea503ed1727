/**
 * Every recorded Hub answer for the endpoints the core action calls, replayed byte for byte from a loopback server
 * through the real client and parsers. If the Hub's recorded shapes and our parsing ever disagree, this fails.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { HubClient } from '../../src/hub/client.js'
import { HubSpacesApi, type SpacesApi } from '../../src/hub/spaces.js'
import { parseRuntime } from '../../src/hub/types.js'
import { appUrlFrom } from '../../src/report/report.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { recorded, replayHeaders, thirdParty, type Recorded } from '../support/samples.js'
import { scriptedServer } from '../support/scripted-server.js'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup) await step()
  cleanup = []
})

async function replay(sample: Recorded): Promise<SpacesApi> {
  const server = await scriptedServer([
    {
      status: sample.response.status,
      headers: replayHeaders(sample.response.headers),
      body: sample.response.body
    }
  ])
  const client = new HubClient({
    endpoint: server.url,
    token: 'hf_x',
    userAgent: 't',
    clock: new FakeClock(),
    maxAttempts: 1
  })
  cleanup.push(() => client.close(), server.close)
  return new HubSpacesApi(client)
}

const runtimes = recorded('spaces_ID_runtime.GET')
const pauses = recorded('spaces_ID_pause.POST')
const restarts = recorded('spaces_ID_restart.POST')

describe('recorded runtime answers', () => {
  it('has samples to replay', () => {
    expect(runtimes.length).toBeGreaterThanOrEqual(8)
    expect(pauses.length).toBeGreaterThanOrEqual(2)
    expect(restarts.length).toBeGreaterThanOrEqual(2)
  })

  it.each(runtimes.map(s => [s.file, s] as const))('GET runtime: %s', async (_file, sample) => {
    const spaces = await replay(sample)
    const body = JSON.parse(sample.response.body) as {
      stage: string
      hardware: { current: string | null; requested: string | null }
      gcTimeout?: number | null
    }
    const runtime = await spaces.runtime('user/tmp_test_space')
    expect(runtime.stage).toBe(body.stage)
    expect(runtime.hardware).toBe(body.hardware.current)
    expect(runtime.requestedHardware).toBe(body.hardware.requested)
    // A static Space has no gcTimeout at all: that is "no sleep time", not "never sleeps".
    expect(runtime.sleepTime).toBe('gcTimeout' in body ? body.gcTimeout : undefined)
  })

  it.each(pauses.map(s => [s.file, s] as const))('POST pause: %s', async (_file, sample) => {
    const runtime = await (await replay(sample)).pause('user/tmp_test_space')
    expect(runtime.stage).toBe('PAUSED')
    expect(runtime.hardware).toBeNull()
    expect(runtime.requestedHardware).toBe('cpu-basic')
  })

  it.each(restarts.map(s => [s.file, s] as const))('POST restart: %s', async (_file, sample) => {
    const runtime = await (await replay(sample)).restart('user/tmp_test_space')
    expect(['BUILDING', 'APP_STARTING', 'RUNNING_BUILDING']).toContain(runtime.stage)
  })

  it('reads the app URL from the recorded domains', async () => {
    const sample = runtimes.find(s => s.response.body.includes('domains'))
    expect(sample).toBeDefined()
    const runtime = await (await replay(sample as Recorded)).runtime('user/tmp_test_space')
    expect(appUrlFrom(runtime)).toBe('https://user-tmp-test-space.hf.space')
  })
})

describe('third-party runtime shapes', () => {
  const gradio = thirdParty('runtime_and_misc__gradio-js-fixtures.json')
  const mondoo = thirdParty('runtime_fragments__mondoo-live-trimmed.json').fragments as Record<
    string,
    unknown
  >

  it('accepts storage as an object, custom-domain flags and a sleep time', () => {
    const runtime = parseRuntime(
      gradio['runtime_response (used for GET /api/spaces/hmb/hello_world -> .runtime)']
    )
    expect(runtime).toMatchObject({ stage: 'RUNNING', hardware: 'cpu-basic', sleepTime: 86400 })
    expect(appUrlFrom(runtime)).toBe('https://hmb-hello-world.hf.space')
  })

  it('sees a pending upgrade as requested but not current', () => {
    const runtime = parseRuntime(
      gradio['hardware_sleeptime_response (used for POST .../sleeptime and GET .../runtime)']
    )
    expect(runtime).toMatchObject({ hardware: 'cpu-basic', requestedHardware: 'cpu-upgrade', sleepTime: 300 })
  })

  it('accepts trimmed answers without domains, storage or gcTimeout, and "auto" replicas', () => {
    for (const fragment of Object.values(mondoo)) {
      const runtime = parseRuntime(fragment)
      expect(runtime.domains).toEqual([])
      expect(runtime.sleepTime).toBeUndefined()
    }
  })

  it('refuses an answer without a stage', () => {
    expect(() => parseRuntime({ hardware: {} })).toThrow('unexpected runtime')
    expect(() => parseRuntime(null)).toThrow('unexpected runtime')
  })
})

describe('recorded error answers', () => {
  it('keeps the server message of the recorded 409, which has no error headers', async () => {
    const [sample] = recorded('repos_create.POST.409')
    const server = await scriptedServer([
      { status: 409, headers: replayHeaders(sample!.response.headers), body: sample!.response.body }
    ])
    const client = new HubClient({
      endpoint: server.url,
      token: 'hf_x',
      userAgent: 't',
      clock: new FakeClock(),
      maxAttempts: 1
    })
    cleanup.push(() => client.close(), server.close)
    await expect(
      client.json({ method: 'POST', path: '/api/repos/create', json: {}, retry: 'idempotent' })
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('You already created this space repo')
    })
  })
})
