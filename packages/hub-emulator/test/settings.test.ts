/** Secrets, variables, the restarts they cause, storage (withdrawn) and volumes. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNTS, FakeClock, startEmulator, type Account, type Emulator } from '../src/index.js'
import { call, obj, runtimeOf, TOKENS } from './helpers.js'

const ID = 'acme/app'
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
  hub.addSpace({ id: ID })
})

afterEach(async () => {
  await hub.close()
})

function send(method: string, what: string, body?: unknown, token: string = TOKENS.acme, id = ID) {
  return call(hub.url, method, `/api/spaces/${id}/${what}`, { token, body })
}

async function stage() {
  const runtime = await runtimeOf(hub.url, ID)
  return [runtime.stage, runtime.hardware.current]
}

describe('secrets', () => {
  it('upserts with 200 {} and lists keys, descriptions and dates, never values', async () => {
    const first = await send('POST', 'secrets', { key: 'HF_TOKEN', value: 'hf_super_secret' })
    expect([first.status, first.text]).toEqual([200, '{}'])
    clock.advance(1234)
    await send('POST', 'secrets', { key: 'DB_URL', value: 'postgres://x', description: 'the database' })

    const listing = await send('GET', 'secrets')
    expect(listing.status).toBe(200)
    expect(listing.text).toBe(
      '{"HF_TOKEN":{"key":"HF_TOKEN","updatedAt":"2026-01-01T00:00:00.000Z"},' +
        '"DB_URL":{"key":"DB_URL","description":"the database","updatedAt":"2026-01-01T00:00:01.234Z"}}'
    )
    expect(listing.text).not.toContain('hf_super_secret')
    expect(hub.space(ID)?.secrets).toEqual(listing.json)
    expect(JSON.stringify(hub.space(ID))).not.toContain('hf_super_secret')
    expect(hub.secretValue(ID, 'HF_TOKEN')).toBe('hf_super_secret')
    expect(hub.secretValue(ID, 'NOPE')).toBeUndefined()
  })

  it('keeps the description when an upsert has none, and replaces it when one is sent', async () => {
    await send('POST', 'secrets', { key: 'K', value: '1', description: 'first' })
    await send('POST', 'secrets', { key: 'K', value: '2' })
    expect(hub.space(ID)?.secrets.K?.description).toBe('first')
    await send('POST', 'secrets', { key: 'K', value: '3', description: 'second' })
    expect(hub.space(ID)?.secrets.K?.description).toBe('second')
    expect(hub.secretValue(ID, 'K')).toBe('3')
  })

  it('deletes with a JSON body, and answers 200 {} to unknown keys too', async () => {
    await send('POST', 'secrets', { key: 'K', value: '1' })
    for (const key of ['K', 'missing_key']) {
      const result = await send('DELETE', 'secrets', { key })
      expect([result.status, result.text]).toEqual([200, '{}'])
    }
    expect((await send('GET', 'secrets')).text).toBe('{}')
  })

  it('defaults a missing value to ""', async () => {
    expect((await send('POST', 'secrets', { key: 'EMPTY' })).status).toBe(200)
    expect(hub.secretValue(ID, 'EMPTY')).toBe('')
  })
})

describe('variables', () => {
  it('answers {} when there are none', async () => {
    const result = await send('GET', 'variables')
    expect([result.status, result.text]).toEqual([200, '{}'])
  })

  it('answers the whole map after each upsert and delete, keeping insertion order', async () => {
    const after1 = await send('POST', 'variables', { key: 'foo', value: '123' })
    expect(after1.text).toBe('{"foo":{"value":"123","updatedAt":"2026-01-01T00:00:00.000Z"}}')
    clock.advance(100)
    await send('POST', 'variables', { key: 'MODEL_REPO_ID', value: 'user/repo' })
    clock.advance(100)
    const after3 = await send('POST', 'variables', { key: 'foo', value: '456', description: 'updated' })
    expect(after3.text).toBe(
      '{"foo":{"value":"456","description":"updated","updatedAt":"2026-01-01T00:00:00.200Z"},' +
        '"MODEL_REPO_ID":{"value":"user/repo","updatedAt":"2026-01-01T00:00:00.100Z"}}'
    )
    const deleted = await send('DELETE', 'variables', { key: 'foo' })
    expect(deleted.json).toEqual({
      MODEL_REPO_ID: { value: 'user/repo', updatedAt: '2026-01-01T00:00:00.100Z' }
    })
    const unknown = await send('DELETE', 'variables', { key: 'missing_key' })
    expect([unknown.status, unknown.text]).toEqual([200, deleted.text])
    expect((await send('GET', 'variables')).text).toBe(deleted.text)
    expect(hub.space(ID)?.variables).toEqual(deleted.json)
  })

  it('refreshes updatedAt on every upsert, and keeps the description when none is sent', async () => {
    await send('POST', 'variables', { key: 'K', value: 'v', description: 'kept' })
    clock.advance(250)
    const same = obj(await send('POST', 'variables', { key: 'K', value: 'v' }))
    expect(same.K).toEqual({ value: 'v', description: 'kept', updatedAt: '2026-01-01T00:00:00.250Z' })
    expect((same.K as { updatedAt: string }).updatedAt).toMatch(ISO_MS)
  })
})

describe('validation and rights for secrets and variables', () => {
  it.each(['secrets', 'variables'])('%s: answers 400 to bad keys, values and bodies', async what => {
    for (const body of [
      { key: '1abc', value: 'v' },
      { key: 'with-dash', value: 'v' },
      { key: '', value: 'v' },
      { value: 'v' },
      { key: 'K', value: 42 },
      { key: 'K', value: 'v', description: 7 },
      '{not json'
    ]) {
      const result = await send('POST', what, body)
      expect([JSON.stringify(body), result.status]).toEqual([JSON.stringify(body), 400])
      expect(Object.keys(obj(result))).toEqual(['error'])
    }
    expect((await send('DELETE', what, {})).status).toBe(400)
    expect(hub.space(ID)?.[what as 'secrets' | 'variables']).toEqual({})
  })

  it.each(['secrets', 'variables'])('%s: owner and writers only', async what => {
    expect((await send('POST', what, { key: 'K', value: 'v' }, TOKENS.outsider)).status).toBe(403)
    expect((await send('GET', what, undefined, TOKENS.outsider)).status).toBe(403)
    expect((await send('POST', what, { key: 'K', value: 'v' }, TOKENS.reader)).status).toBe(403)
    const anonymous = await call(hub.url, 'POST', `/api/spaces/${ID}/${what}`, {
      body: { key: 'K', value: 'v' }
    })
    expect(anonymous.status).toBe(401)
    expect((await send('GET', what, undefined, TOKENS.acme, 'acme/missing')).status).toBe(404)
    expect(hub.space(ID)?.[what as 'secrets' | 'variables']).toEqual({})
  })

  it("lets the owner's read-role token list but not change", async () => {
    await hub.close()
    const ownerRead: Account = { name: 'acme', token: 'hf_emulator_acme_read_0123456789', role: 'read' }
    hub = await startEmulator({ clock, accounts: [...DEFAULT_ACCOUNTS, ownerRead] })
    hub.addSpace({ id: ID, variables: [{ key: 'K', value: 'v' }] })
    expect((await send('GET', 'variables', undefined, ownerRead.token)).status).toBe(200)
    expect((await send('GET', 'secrets', undefined, ownerRead.token)).status).toBe(200)
    expect((await send('DELETE', 'variables', { key: 'K' }, ownerRead.token)).status).toBe(403)
  })
})

describe('restarts caused by configuration changes', () => {
  it('restarts a running Space once per change: APP_STARTING with current kept, then RUNNING', async () => {
    await send('POST', 'variables', { key: 'K', value: '1' })
    expect(await stage()).toEqual(['APP_STARTING', 'cpu-basic'])
    expect(hub.space(ID)?.restarts).toBe(1)
    clock.advance(499)
    expect(await stage()).toEqual(['APP_STARTING', 'cpu-basic'])
    clock.advance(1)
    expect(await stage()).toEqual(['RUNNING', 'cpu-basic'])
  })

  it('counts every change of a batch: a batch cannot get away with one restart', async () => {
    await send('POST', 'secrets', { key: 'A', value: '1' })
    await send('POST', 'secrets', { key: 'B', value: '2' })
    clock.advance(300)
    await send('POST', 'variables', { key: 'C', value: '3' })
    expect(hub.space(ID)?.restarts).toBe(3)
    // Each change restarts the restart: RUNNING startMs after the last one.
    clock.advance(499)
    expect(await stage()).toEqual(['APP_STARTING', 'cpu-basic'])
    clock.advance(1)
    expect(await stage()).toEqual(['RUNNING', 'cpu-basic'])
  })

  it('does not restart for an unchanged value, a description, or an unknown key', async () => {
    await hub.close()
    hub = await startEmulator({ clock })
    hub.addSpace({ id: ID, variables: [{ key: 'K', value: 'v' }], secrets: [{ key: 'S', value: 's' }] })
    await send('POST', 'variables', { key: 'K', value: 'v' })
    await send('POST', 'variables', { key: 'K', value: 'v', description: 'only the description' })
    await send('POST', 'secrets', { key: 'S', value: 's' })
    await send('DELETE', 'secrets', { key: 'missing_key' })
    await send('DELETE', 'variables', { key: 'missing_key' })
    expect(hub.space(ID)?.restarts).toBe(0)
    expect(await stage()).toEqual(['RUNNING', 'cpu-basic'])
    await send('DELETE', 'secrets', { key: 'S' })
    expect(hub.space(ID)?.restarts).toBe(1)
  })

  it('leaves Spaces that are not running alone', async () => {
    hub.addSpace({ id: 'acme/paused', stage: 'PAUSED' })
    hub.addSpace({ id: 'acme/building', stage: 'BUILDING' })
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    for (const id of ['acme/paused', 'acme/building', 'acme/site']) {
      expect((await send('POST', 'variables', { key: 'K', value: 'v' }, TOKENS.acme, id)).status).toBe(200)
      expect([id, hub.space(id)?.restarts]).toEqual([id, 0])
    }
    expect(hub.space('acme/paused')?.runtime.stage).toBe('PAUSED')
    expect(hub.space('acme/building')?.runtime.stage).toBe('BUILDING')
    expect(hub.space('acme/site')?.runtime.stage).toBe('RUNNING')
  })

  it('does not cancel a hardware change in progress', async () => {
    await send('POST', 'hardware', { flavor: 'cpu-upgrade' })
    await send('POST', 'variables', { key: 'K', value: 'v' })
    expect(hub.space(ID)?.restarts).toBe(0)
    clock.advance(1800)
    expect(await stage()).toEqual(['RUNNING', 'cpu-upgrade'])
  })

  it('counts POST /restart too, and a pending RUNTIME_ERROR fails the restart', async () => {
    await send('POST', 'restart')
    expect(hub.space(ID)?.restarts).toBe(1)
    clock.advance(1500)
    hub.updateSpace(ID, { nextBuild: { outcome: 'RUNTIME_ERROR', errorMessage: 'bad secret' } })
    await send('POST', 'secrets', { key: 'S', value: 'x' })
    clock.advance(500)
    const runtime = await runtimeOf(hub.url, ID)
    expect([runtime.stage, runtime.errorMessage, hub.space(ID)?.restarts]).toEqual([
      'RUNTIME_ERROR',
      'bad secret',
      2
    ])
  })
})

describe('storage (withdrawn)', () => {
  const message = 'Persistent storage is no longer available. Use Storage Buckets mounted as volumes instead.'

  it.each([
    ['POST', { tier: 'small' }],
    ['DELETE', undefined]
  ])('%s answers 400 to writers', async (method, body) => {
    const result = await send(method, 'storage', body)
    expect(result.status).toBe(400)
    expect(result.json).toEqual({ error: message })
    expect(result.headers.get('x-error-message')).toBe(message)
    expect((await send(method, 'storage', body, TOKENS.outsider)).status).toBe(403)
  })
})

describe('volumes', () => {
  const volumes = [
    { type: 'bucket', source: 'acme/data', mountPath: '/data' },
    {
      type: 'model',
      source: 'acme/model',
      mountPath: '/models',
      readOnly: false,
      revision: 'v1',
      path: 'weights'
    }
  ]

  it('PUT replaces the list, restarts the Space and answers the runtime with the volumes', async () => {
    const result = await send('PUT', 'volumes', { volumes })
    expect(result.status).toBe(200)
    expect(obj(result)).toMatchObject({ stage: 'APP_STARTING', hardware: { current: 'cpu-basic' } })
    expect(obj(result).volumes).toEqual([
      { type: 'bucket', source: 'acme/data', mountPath: '/data', readOnly: false },
      // Repo volumes are always read-only.
      {
        type: 'model',
        source: 'acme/model',
        mountPath: '/models',
        revision: 'v1',
        readOnly: true,
        path: 'weights'
      }
    ])
    expect(Object.keys((obj(result).volumes as object[])[1]!)).toEqual([
      'type',
      'source',
      'mountPath',
      'revision',
      'readOnly',
      'path'
    ])
    expect(hub.space(ID)?.restarts).toBe(1)
    expect(hub.space(ID)?.volumes).toEqual(obj(result).volumes)
    clock.advance(500)
    expect((await runtimeOf(hub.url, ID)).volumes).toEqual(obj(result).volumes)
  })

  it('DELETE clears them and answers the runtime; 400 when there are none', async () => {
    expect((await send('DELETE', 'volumes')).status).toBe(400)
    await send('PUT', 'volumes', { volumes })
    clock.advance(500)
    const cleared = await send('DELETE', 'volumes')
    expect(cleared.status).toBe(200)
    expect(obj(cleared).volumes).toBeUndefined()
    expect(hub.space(ID)?.volumes).toEqual([])
    expect(hub.space(ID)?.restarts).toBe(2)
  })

  it.each([
    ['an empty list', { volumes: [] }],
    ['no list', {}],
    ['an unknown type', { volumes: [{ type: 'disk', source: 'x', mountPath: '/x' }] }],
    ['a relative mountPath', { volumes: [{ type: 'bucket', source: 'x', mountPath: 'data' }] }],
    ['no source', { volumes: [{ type: 'bucket', mountPath: '/x' }] }],
    [
      'a non-boolean readOnly',
      { volumes: [{ type: 'bucket', source: 'x', mountPath: '/x', readOnly: 'yes' }] }
    ]
  ])('PUT answers 400 to %s', async (_what, body) => {
    expect((await send('PUT', 'volumes', body)).status).toBe(400)
    expect(hub.space(ID)?.restarts).toBe(0)
  })

  it('answers 400 for static Spaces and 403 to non-writers', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    expect((await send('PUT', 'volumes', { volumes }, TOKENS.acme, 'acme/site')).status).toBe(400)
    expect((await send('DELETE', 'volumes', undefined, TOKENS.acme, 'acme/site')).status).toBe(400)
    expect((await send('PUT', 'volumes', { volumes }, TOKENS.outsider)).status).toBe(403)
  })
})
