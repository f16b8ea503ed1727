/**
 * Conformance with the recorded Hub traffic in fixtures/hub-samples (read-only contract fixtures).
 *
 * - REC 2025-03 runtime/pause/restart: the request sequences are replayed and the bodies must match byte for byte.
 * - REC 2023-12: the Hub has since added keys; every recorded key must still be there with the same JSON type.
 * - Third-party and OpenAPI samples: key sets and types.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { FakeClock, startEmulator, type Account, type Emulator } from '../src/index.js'
import { call, obj } from './helpers.js'
import {
  expectCovers,
  loadRecordings as loadMatching,
  readJson,
  SAMPLES,
  shape,
  THIRD_PARTY,
  type Recording
} from './samples.js'

function loadRecordings(): Recording[] {
  return loadMatching(/^spaces_ID_(runtime|pause|restart)\./)
}

/** The account the recordings were made with (namespace "user"). */
const USER: Account = {
  name: 'user',
  token: 'hf_emulator_user_write_0123456789',
  role: 'write',
  canPay: false
}

let hub: Emulator

beforeEach(async () => {
  hub = await startEmulator({ clock: new FakeClock(), accounts: [USER] })
})

afterEach(async () => {
  await hub.close()
})

/** The state the recorded tests had put their Space in before the recorded runtime calls. */
function seed(recording: string, test: string): void {
  if (test === 'test_static_space_runtime') {
    hub.addSpace({ id: 'victor/static-space', sdk: 'static' })
  } else {
    // huggingface_hub's tests create a private gradio Space and commit app.py; the 2023 Hub said NO_APP_FILE.
    const stage = recording === 'vcr2023-12' && test === 'test_space_runtime' ? 'NO_APP_FILE' : 'BUILDING'
    hub.addSpace({ id: 'user/tmp_test_space', private: true, stage })
  }
}

async function replay(r: Recording) {
  const uri = new URL(r.request.uri)
  return call(hub.url, r.request.method, `${uri.pathname}${uri.search}`, { token: USER.token })
}

const recordings = loadRecordings()
const groups = [...new Set(recordings.map(r => `${r.recording}/${r.test}`))]

describe('REC samples are present', () => {
  it('finds the runtime, pause and restart recordings', () => {
    expect(recordings.filter(r => r.recording === 'vcr2025-03').length).toBeGreaterThanOrEqual(6)
    expect(recordings.filter(r => r.recording === 'vcr2023-12').length).toBeGreaterThanOrEqual(6)
  })
})

describe.each(groups)('replaying %s', group => {
  const [recording, test] = group.split('/') as [string, string]
  const sequence = recordings.filter(r => r.recording === recording && r.test === test)

  it('answers with the recorded statuses and bodies', async () => {
    seed(recording, test)
    for (const r of sequence) {
      const answer = await replay(r)
      expect([r.file, answer.status]).toEqual([r.file, r.response.status])
      expect(answer.headers.get('content-type')).toBe(r.response.headers['Content-Type']?.[0])
      if (recording === 'vcr2025-03') {
        // REC is authoritative for the bytes of a body.
        expect([r.file, answer.text]).toEqual([r.file, r.response.body])
      } else {
        // 2023: the Hub has since dropped replicas.current while nothing runs, and added devMode and domains.
        const sample = JSON.parse(r.response.body) as Record<string, unknown>
        expect(obj(answer).stage).toBe(sample.stage)
        expectCovers(answer.json, sample, r.file, [`${r.file}.replicas.current`])
      }
    }
  })

  it('sends the recorded Hub headers', async () => {
    seed(recording, test)
    for (const r of sequence) {
      const answer = await replay(r)
      const recorded = r.response.headers
      expect(answer.headers.get('x-powered-by')).toBe(recorded['X-Powered-By']?.[0])
      expect(answer.headers.get('vary')).toBe(recorded.Vary?.[0])
      expect(answer.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/)
      expect(recorded.ETag?.[0]).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/)
      // Same "Root=1-<8 hex>-<24 hex>" root as the recorded ids (theirs carry the client's trace id after ';').
      const root = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/
      expect(recorded['X-Request-Id']?.[0]).toMatch(root)
      expect(answer.headers.get('x-request-id')).toMatch(root)
      if (recording === 'vcr2025-03') {
        expect(answer.headers.get('access-control-expose-headers')).toBe(
          recorded['Access-Control-Expose-Headers']?.[0]
        )
      }
    }
  })
})

describe('third-party and OpenAPI samples', () => {
  it('whoami-v2 has the keys, key order and types of the 2026-07 fine-grained answer', async () => {
    const sample = readJson(path.join(THIRD_PARTY, 'whoami-v2.GET.200__transcript-2026-07-23.json')) as {
      response: { body_json: unknown }
    }
    await hub.close()
    const fine: Account = { name: 'gharnaari', token: 'hf_emulator_fine_0123456789', role: 'fineGrained' }
    hub = await startEmulator({ clock: new FakeClock(), accounts: [fine] })
    const answer = await call(hub.url, 'GET', '/api/whoami-v2', { token: fine.token })
    // periodEnd is number | null (SPEC): a number in that prepaid account's answer, null in the emulator's.
    const sampleShape = shape(sample.response.body_json) as Record<string, unknown>
    expect(shape(answer.json)).toEqual({ ...sampleShape, periodEnd: 'null' })
  })

  it('whoami-v2 for a classic write token has the key set of the staging answer, email aside', async () => {
    const sample = readJson(path.join(THIRD_PARTY, 'whoami-v2.GET.200__huggingface.js-spec-hubci.json')) as {
      response: { body_json: Record<string, unknown> }
    }
    const answer = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: USER.token }))
    const expected = Object.keys(sample.response.body_json).filter(
      k => k !== 'email' && k !== 'emailVerified'
    )
    expect(Object.keys(answer).sort()).toEqual(expected.sort())
    expect(Object.keys(answer.auth as object).sort()).toEqual(
      Object.keys(sample.response.body_json.auth as object).sort()
    )
    expectCovers(answer, sample.response.body_json, 'whoami', [
      'whoami.email',
      'whoami.emailVerified',
      'whoami.orgs'
    ])
  })

  it('the hardware catalogue satisfies the OpenAPI schema exactly', async () => {
    const spec = readJson(path.join(SAMPLES, 'openapi', 'hf-openapi-spaces-excerpt.json')) as {
      paths: Record<
        string,
        { get: { responses: { 200: { content: { 'application/json': { schema: unknown } } } } } }
      >
    }
    const schema = spec.paths['/api/spaces/hardware']!.get.responses[200].content['application/json']
      .schema as {
      items: {
        required: string[]
        properties: Record<string, { type?: string; anyOf?: { required?: string[]; properties?: object }[] }>
      }
    }
    const accelerator = schema.items.properties.accelerator!.anyOf![0] as {
      required: string[]
      properties: Record<string, { enum?: string[]; type?: string }>
    }
    const answer = await call(hub.url, 'GET', '/api/spaces/hardware')
    const flavors = answer.json as Record<string, unknown>[]
    expect(flavors.length).toBeGreaterThan(0)
    for (const flavor of flavors) {
      expect(Object.keys(flavor).sort()).toEqual([...schema.items.required].sort())
      for (const [key, property] of Object.entries(schema.items.properties)) {
        if (property.type !== undefined)
          expect([flavor.name, key, typeof flavor[key]]).toEqual([flavor.name, key, property.type])
      }
      const acc = flavor.accelerator as Record<string, unknown> | null
      if (acc !== null) {
        expect(Object.keys(acc).sort()).toEqual([...accelerator.required].sort())
        for (const [key, property] of Object.entries(accelerator.properties)) {
          if (property.enum) expect(property.enum).toContain(acc[key])
          else expect(typeof acc[key]).toBe('string')
        }
      }
    }
    const names = flavors.map(f => f.name)
    expect(names).toEqual(
      expect.arrayContaining(['cpu-basic', 'cpu-upgrade', 't4-small', 'a10g-small', 'zero-a10g'])
    )
    const t4 = flavors.find(f => f.name === 't4-small')!
    expect([t4.unitCostUSD, t4.unitCostMicroUSD, t4.unitLabel]).toEqual([0.4, 6667, 'hour'])
  })

  it('log events have the keys and timestamp format of the recorded stream', async () => {
    const sample = readFileSync(
      path.join(THIRD_PARTY, 'spaces_ID_logs_run.GET.200__transcript-2026-06-20.sse'),
      'utf8'
    )
    hub.addSpace({ id: 'user/app', runLog: ['one', 'two'] })
    const answer = await call(hub.url, 'GET', '/api/spaces/user/app/logs/run', { token: USER.token })
    const events = (text: string) =>
      text
        .split(/\r?\n/)
        .filter(line => line.startsWith('data: '))
        .map(line => JSON.parse(line.slice(6)) as Record<string, unknown>)
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/
    for (const event of [...events(sample), ...events(answer.text)]) {
      expect(Object.keys(event)).toEqual(['data', 'timestamp'])
      expect(typeof event.data).toBe('string')
      expect(event.timestamp).toMatch(iso)
    }
    expect(events(answer.text)).toHaveLength(2)
    expect(sample).toContain(': keep-alive')
    expect(answer.text).toContain(': keep-alive')
  })

  it('the Space info carries the fields of a live listing entry with the same types', async () => {
    const sample = readJson(
      path.join(THIRD_PARTY, 'spaces_list_entry.GET.200__mondoo-live-reformatted.json')
    ) as {
      response: { list_entry_json: Record<string, unknown> }
    }
    hub.addSpace({ id: 'user/app', sdk: 'docker', hardware: 'cpu-upgrade', sleepTime: 172800 })
    const info = obj(await call(hub.url, 'GET', '/api/spaces/user/app'))
    // REFORMATTED: missing keys prove nothing, so only shared keys are compared; region is not emulated.
    const entry = sample.response.list_entry_json
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'region' || key === 'runtime') continue
      expect([key, shape(info[key])]).toEqual([key, shape(value)])
    }
    expectCovers(info.runtime, entry.runtime, 'runtime', ['runtime.pySpacesVersion'])
  })
})
