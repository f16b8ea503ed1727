/**
 * Conformance of create, delete, secrets and variables with the recorded Hub traffic (REC), the third-party
 * transcripts and the OpenAPI excerpt. The REC sequences are replayed with the recorded request bodies, skipping the
 * preupload, revision and commit calls (conformance-content.test.ts replays those).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { FakeClock, startEmulator, type Account, type Emulator } from '../src/index.js'
import { call, obj, type CallResult } from './helpers.js'
import {
  expectCovers,
  loadRecordings,
  readJson,
  SAMPLES,
  shape,
  THIRD_PARTY,
  type Recording
} from './samples.js'

/** The account the recordings were made with: namespace "user", allowed to create gradio Spaces. */
const USER: Account = {
  name: 'user',
  token: 'hf_emulator_user_write_0123456789',
  role: 'write',
  canPay: false,
  isPro: true
}
const FREE: Account = { name: 'gharnaari', token: 'hf_emulator_free_0123456789', isPro: false, canPay: false }

let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock, accounts: [USER, FREE] })
})

afterEach(async () => {
  await hub.close()
})

const replayed = loadRecordings(/^(repos_create|repos_delete|spaces_ID_secrets|spaces_ID_variables)\./)
const groups = [...new Set(replayed.map(r => `${r.recording}/${r.test}`))].sort()

function replay(r: Recording): Promise<CallResult> {
  const uri = new URL(r.request.uri)
  return call(hub.url, r.request.method, `${uri.pathname}${uri.search}`, {
    token: USER.token,
    ...(r.request.body === null ? {} : { body: r.request.body })
  })
}

const UPDATED_AT = /"updatedAt":"[^"]*"/g

/** For each key of a variables map, whether its updatedAt is the same as in the previous map. */
function unchangedDates(
  current: Record<string, { updatedAt: string }>,
  previous: Record<string, { updatedAt: string }> | undefined
): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(current).map(([key, entry]) => [key, previous?.[key]?.updatedAt === entry.updatedAt])
  )
}

describe('REC samples are present', () => {
  it('finds the create, delete, secrets and variables recordings', () => {
    expect(replayed.filter(r => r.file.startsWith('repos_create')).length).toBe(10)
    expect(replayed.filter(r => r.file.startsWith('repos_delete')).length).toBe(10)
    expect(replayed.filter(r => r.file.startsWith('spaces_ID_secrets')).length).toBe(18)
    expect(replayed.filter(r => r.file.startsWith('spaces_ID_variables')).length).toBe(18)
  })
})

describe.each(groups)('replaying %s', group => {
  const [recording, test] = group.split('/') as [string, string]
  const sequence = replayed
    .filter(r => r.recording === recording && r.test === test)
    .sort((a, b) => a.index - b.index)

  it('answers with the recorded statuses, content types and bodies', async () => {
    // test_manage_secrets 2025 met a Space left over by an earlier run: the create answered 409.
    if (sequence[0]?.response.status === 409) hub.addSpace({ id: 'user/tmp_test_space', private: true })
    let previousRecorded: Record<string, { updatedAt: string }> | undefined
    let previousAnswer: Record<string, { updatedAt: string }> | undefined
    for (const r of sequence) {
      clock.advance(150)
      const answer = await replay(r)
      const recordedBody = r.response.body
      expect([r.file, answer.status]).toEqual([r.file, r.response.status])
      expect([r.file, answer.headers.get('content-type')]).toEqual([
        r.file,
        r.response.headers['Content-Type']?.[0]
      ])
      if (r.file.startsWith('repos_create') && r.response.status === 200) {
        const sample = JSON.parse(recordedBody) as Record<string, unknown>
        expect(obj(answer).id).toMatch(/^[0-9a-f]{24}$/)
        if (sample.id === undefined) {
          // 2023: no id yet; every recorded key is there with the same value.
          expect(obj(answer)).toMatchObject(sample)
        } else {
          expect([r.file, answer.text.replace(obj(answer).id as string, sample.id as string)]).toEqual([
            r.file,
            recordedBody
          ])
        }
      } else if (r.file.startsWith('spaces_ID_variables')) {
        // updatedAt comes from the clock: compare the rest byte for byte, and which dates moved.
        expect([r.file, answer.text.replace(UPDATED_AT, '"updatedAt":"…"')]).toEqual([
          r.file,
          recordedBody.replace(UPDATED_AT, '"updatedAt":"…"')
        ])
        for (const entry of Object.values(obj(answer)) as { updatedAt: string }[]) {
          expect(entry.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
        }
        const recordedMap = JSON.parse(recordedBody) as Record<string, { updatedAt: string }>
        const answerMap = answer.json as Record<string, { updatedAt: string }>
        expect([r.file, unchangedDates(answerMap, previousAnswer)]).toEqual([
          r.file,
          unchangedDates(recordedMap, previousRecorded)
        ])
        previousRecorded = recordedMap
        previousAnswer = answerMap
      } else {
        expect([r.file, answer.text]).toEqual([r.file, recordedBody])
      }
      if (r.response.status === 409) {
        expect(r.response.headers['X-Error-Code']).toBeUndefined()
        expect(r.response.headers['X-Error-Message']).toBeUndefined()
        expect(answer.headers.get('x-error-code')).toBeNull()
        expect(answer.headers.get('x-error-message')).toBeNull()
      }
      expect(answer.headers.get('x-powered-by')).toBe(r.response.headers['X-Powered-By']?.[0])
      expect(answer.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/)
    }
    expect(hub.space('user/tmp_test_space')).toBeUndefined()
  })
})

describe('the Space a recorded create makes', () => {
  it('reports the recorded BUILDING runtime right away', async () => {
    const [create] = loadRecordings(/^repos_create\.POST\.200__vcr2025-03__test_space_runtime__00\.json$/)
    const [runtime] = loadRecordings(
      /^spaces_ID_runtime\.GET\.200__vcr2025-03__test_space_runtime__04\.json$/
    )
    expect((await replay(create!)).status).toBe(200)
    const answer = await replay(runtime!)
    expect(answer.text).toBe(runtime!.response.body)
  })
})

describe('third-party transcripts (2026-07)', () => {
  it('a free account: 402 for a compute Space, then 200 {url, name, id} with the shape of the transcript', async () => {
    const paid = readJson(path.join(THIRD_PARTY, 'repos_create.POST.402__transcript-2026-07-23.json')) as {
      response: { status: number }
    }
    const created = readJson(path.join(THIRD_PARTY, 'repos_create.POST.200__transcript-2026-07-23.json')) as {
      response: { status: number; body: string; body_json: Record<string, unknown> }
    }
    const create = (sdk: string) =>
      call(hub.url, 'POST', '/api/repos/create', {
        token: FREE.token,
        body: { name: 'gharnaari-api', organization: null, type: 'space', sdk }
      })
    const refused = await create('docker')
    expect(refused.status).toBe(paid.response.status)
    const answer = await create('static')
    expect(answer.status).toBe(created.response.status)
    expect(shape(answer.json)).toEqual(shape(created.response.body_json))
    expect(answer.json).toEqual({ ...created.response.body_json, id: obj(answer).id })
  })
})

describe('OpenAPI excerpt', () => {
  type Schema = {
    type?: string
    required?: string[]
    properties?: Record<string, Schema & { pattern?: string; enum?: string[] }>
    additionalProperties?: boolean | Schema
  }
  const spec = readJson(path.join(SAMPLES, 'openapi', 'hf-openapi-spaces-excerpt.json')) as {
    paths: Record<
      string,
      Record<string, { responses?: Record<string, { content: Record<string, { schema: Schema }> }> }>
    >
  }
  const responseSchema = (route: string, method: string): Schema =>
    spec.paths[route]![method]!.responses![200]!.content['application/json']!.schema

  /** Checks an object against a flat schema: required keys, no unknown keys when closed, types and patterns. */
  function expectMatches(value: unknown, schema: Schema, where: string) {
    expect([where, typeof value]).toEqual([where, 'object'])
    const record = value as Record<string, unknown>
    for (const key of schema.required ?? []) expect([where, key, key in record]).toEqual([where, key, true])
    for (const [key, inner] of Object.entries(record)) {
      const property = schema.properties?.[key]
      if (schema.additionalProperties === false)
        expect([where, key, property !== undefined]).toEqual([where, key, true])
      if (property?.type !== undefined)
        expect([where, key, typeof inner]).toEqual([where, key, property.type])
      if (property?.pattern !== undefined)
        expect([where, key, inner]).toEqual([where, key, expect.stringMatching(new RegExp(property.pattern))])
    }
  }

  beforeEach(async () => {
    await call(hub.url, 'POST', '/api/repos/create', {
      token: USER.token,
      body: {
        name: 'app',
        organization: 'user',
        type: 'space',
        sdk: 'gradio',
        secrets: [{ key: 'S', value: 'v', description: 'd' }],
        variables: [{ key: 'V', value: 'v' }]
      }
    })
  })

  it('create answers exactly {url, name, id}', async () => {
    const answer = await call(hub.url, 'POST', '/api/repos/create', {
      token: USER.token,
      body: { name: 'other', organization: 'user', type: 'space', sdk: 'static' }
    })
    expectMatches(answer.json, responseSchema('/api/repos/create', 'post'), 'create')
  })

  it('duplicate answers exactly {url}', async () => {
    const answer = await call(hub.url, 'POST', '/api/spaces/user/app/duplicate', {
      token: USER.token,
      body: { repository: 'user/copy' }
    })
    expect(answer.status).toBe(200)
    expectMatches(
      answer.json,
      responseSchema('/api/{repoType}/{namespace}/{repo}/duplicate', 'post'),
      'duplicate'
    )
  })

  it('the secrets listing follows its schema (with the inner key), the variables one the recordings', async () => {
    const secrets = obj(await call(hub.url, 'GET', '/api/spaces/user/app/secrets', { token: USER.token }))
    const secretSchema = responseSchema('/api/spaces/{namespace}/{repo}/secrets', 'get')
      .additionalProperties as Schema
    for (const entry of Object.values(secrets)) expectMatches(entry, secretSchema, 'secret')
    expect(secrets.S).toEqual({ key: 'S', description: 'd', updatedAt: '2026-01-01T00:00:00.000Z' })

    const variables = obj(await call(hub.url, 'GET', '/api/spaces/user/app/variables', { token: USER.token }))
    const variableSchema = responseSchema('/api/spaces/{namespace}/{repo}/variables', 'get')
      .additionalProperties as Schema
    // REC has no inner key although SPEC requires it: check everything else.
    for (const entry of Object.values(variables)) {
      expectMatches(entry, { ...variableSchema, required: ['value'] }, 'variable')
    }
    const [recorded] = loadRecordings(
      /^spaces_ID_variables\.GET\.200__vcr2025-03__test_manage_variables__12\.json$/
    )
    const sample = JSON.parse(recorded!.response.body) as Record<string, unknown>
    expectCovers(variables.V, sample.MODEL_REPO_ID, 'variables.V')
    expect(Object.keys(variables.V as object)).toEqual(Object.keys(sample.MODEL_REPO_ID as object))
  })
})
