/**
 * The dry-run wrapper of the Spaces API (src/hub/dry-run.ts), in process against the emulator on a fake clock: each
 * write is recorded and never reaches the Hub (the emulator's request log shows reads only), it answers as the Hub
 * would, and a secret's value appears in no record. Then whole operations through it.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { HubClient } from '../../src/hub/client.js'
import { DryRunSpacesApi } from '../../src/hub/dry-run.js'
import { HubSpacesApi } from '../../src/hub/spaces.js'
import { startEmulator, type Emulator } from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { OWNER_TOKEN, SPACE, useInProcessHub } from './in-process.js'

const SECRET = 'sk-dry-run-value-never-shown'

describe('the dry-run Spaces API', () => {
  let hub: Emulator
  let clock: FakeClock
  let client: HubClient
  let real: HubSpacesApi
  let dry: DryRunSpacesApi
  let seen = 0
  /** What reached the Hub since the wrapper was made, as `METHOD /path`. */
  const sent = (): string[] =>
    hub
      .requests()
      .slice(seen)
      .map(r => `${r.method} ${r.path}`)

  beforeEach(async () => {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
    hub = await startEmulator({ clock })
    hub.addSpace({ id: SPACE, hardware: 't4-small', sleepTime: 3600 })
    client = new HubClient({
      endpoint: hub.url,
      token: OWNER_TOKEN,
      userAgent: 'in-process',
      clock,
      random: () => 0.5
    })
    real = new HubSpacesApi(client)
    await real.setVariable(SPACE, 'KEPT', 'one')
    dry = new DryRunSpacesApi(real)
    seen = hub.requests().length
  })
  afterEach(async () => {
    await client.close()
    await hub.close()
  })

  it('records every kind of write, in order, and sends none of them', async () => {
    // The clock does not move, so any change on the Hub would show in its view of the Space.
    const untouched = hub.space(SPACE)
    await dry.runtime(SPACE)
    await dry.requestHardware(SPACE, 'a10g-small', 600)
    await dry.setSleepTime(SPACE, -1)
    await dry.pause(SPACE)
    await dry.restart(SPACE, true)
    await dry.create('acme/new-app', 'docker', { hardware: 't4-small' })
    await dry.duplicate(SPACE, 'acme/copy', { private: true })
    await dry.setSecret(SPACE, 'API_KEY', SECRET)
    await dry.deleteSecret(SPACE, 'OLD_KEY')
    await dry.setVariable(SPACE, 'MODEL', 'v2')
    await dry.deleteVariable(SPACE, 'KEPT')
    await dry.requestStorage(SPACE, 'small')
    await dry.deleteStorage(SPACE)
    await dry.setVolumes(SPACE, [{ type: 'bucket', source: 'acme/b', mountPath: '/data' }])
    await dry.deleteVolumes(SPACE)
    await dry.delete('acme/copy')
    let sentCommit = false
    await dry.commit({
      spaceId: SPACE,
      createPr: true,
      lfsObjects: 2,
      description: 'Upload: 1 file(s) inline, 2 through LFS.',
      send: () => {
        sentCommit = true
        return Promise.reject(new Error('a dry run never sends the commit'))
      }
    })

    const api = `/api/spaces/${SPACE}`
    expect(dry.writes).toEqual([
      { method: 'POST', path: `${api}/hardware`, body: { flavor: 'a10g-small', sleepTimeSeconds: 600 } },
      { method: 'POST', path: `${api}/sleeptime`, body: { seconds: -1 } },
      { method: 'POST', path: `${api}/pause` },
      { method: 'POST', path: `${api}/restart?factory=true` },
      {
        method: 'POST',
        path: '/api/repos/create',
        body: { name: 'new-app', organization: 'acme', type: 'space', sdk: 'docker', hardware: 't4-small' }
      },
      { method: 'POST', path: `${api}/duplicate`, body: { repository: 'acme/copy', private: true } },
      { method: 'POST', path: `${api}/secrets`, body: { key: 'API_KEY', value: '***' } },
      { method: 'DELETE', path: `${api}/secrets`, body: { key: 'OLD_KEY' } },
      { method: 'POST', path: `${api}/variables`, body: { key: 'MODEL', value: 'v2' } },
      { method: 'DELETE', path: `${api}/variables`, body: { key: 'KEPT' } },
      { method: 'POST', path: `${api}/storage`, body: { tier: 'small' } },
      { method: 'DELETE', path: `${api}/storage` },
      {
        method: 'PUT',
        path: `${api}/volumes`,
        body: { volumes: [{ type: 'bucket', source: 'acme/b', mountPath: '/data' }] }
      },
      { method: 'DELETE', path: `${api}/volumes` },
      {
        method: 'DELETE',
        path: '/api/repos/delete',
        body: { name: 'copy', organization: 'acme', type: 'space' }
      },
      { method: 'PUT', path: "2 LFS object(s) to the Hub's storage" },
      {
        method: 'POST',
        path: `${api}/commit/main?create_pr=1`,
        body: 'Upload: 1 file(s) inline, 2 through LFS.'
      }
    ])
    expect(sentCommit).toBe(false)
    // The one read, and nothing else: no write reached the Hub.
    expect(sent()).toEqual([`GET ${api}/runtime`])
    expect(hub.space(SPACE)).toEqual(untouched)
    expect(hub.space('acme/new-app')).toBeUndefined()
  })

  it('answers each runtime write with the Space as the Hub would leave it, from the last read', async () => {
    const before = await dry.runtime(SPACE)
    expect(before).toMatchObject({ requestedHardware: 't4-small', sleepTime: 3600 })

    await expect(dry.requestHardware(SPACE, 'a10g-small', -1)).resolves.toEqual({
      ...before,
      requestedHardware: 'a10g-small',
      sleepTime: null
    })
    await expect(dry.setSleepTime(SPACE, 900)).resolves.toMatchObject({ sleepTime: 900 })
    await expect(dry.requestStorage(SPACE, 'medium')).resolves.toMatchObject({ storage: 'medium' })
    await expect(dry.deleteStorage(SPACE)).resolves.toMatchObject({ storage: null })
    await expect(dry.pause(SPACE)).resolves.toMatchObject({ stage: 'PAUSED', hardware: null })
    await expect(dry.restart(SPACE)).resolves.toMatchObject({
      stage: 'BUILDING',
      hardware: null,
      requestedHardware: 'a10g-small',
      sleepTime: 900
    })
    // A read after a recorded write answers what the Hub would say then: the Hub itself is unchanged.
    await expect(dry.runtime(SPACE)).resolves.toMatchObject({ stage: 'BUILDING' })
    expect(sent()).toEqual([`GET /api/spaces/${SPACE}/runtime`])
    await expect(real.runtime(SPACE)).resolves.toEqual(before)
  })

  it('answers a creation with the new Space, which it then reports building (or, static, running)', async () => {
    await expect(
      dry.create('acme/new-app', 'docker', { hardware: 't4-small', storageTier: 'small' })
    ).resolves.toBe('https://huggingface.co/spaces/acme/new-app')
    await expect(dry.runtime('acme/new-app')).resolves.toMatchObject({
      stage: 'BUILDING',
      hardware: null,
      requestedHardware: 't4-small',
      storage: 'small'
    })
    await dry.create('acme/site', 'static', {})
    await expect(dry.runtime('acme/site')).resolves.toMatchObject({
      stage: 'RUNNING',
      requestedHardware: null
    })
    await expect(dry.duplicate(SPACE, 'acme/copy', {})).resolves.toBe(
      'https://huggingface.co/spaces/acme/copy'
    )
    await expect(dry.runtime('acme/copy')).resolves.toMatchObject({
      stage: 'BUILDING',
      requestedHardware: 'cpu-basic'
    })
    // None of them exists on the Hub, and none was asked for.
    expect(sent()).toEqual([])
    expect(hub.space('acme/new-app')).toBeUndefined()
  })

  it('answers variable changes with the whole map as it would be, from the last read', async () => {
    const read = await dry.variables(SPACE)
    expect([...read.keys()]).toEqual(['KEPT'])
    const set = await dry.setVariable(SPACE, 'MODEL', 'v2')
    expect(Object.fromEntries([...set].map(([key, v]) => [key, v.value]))).toEqual({
      KEPT: 'one',
      MODEL: 'v2'
    })
    const deleted = await dry.deleteVariable(SPACE, 'KEPT')
    expect([...deleted.keys()]).toEqual(['MODEL'])
    // The map read from the Hub is not changed by the simulation.
    expect([...read.keys()]).toEqual(['KEPT'])
    expect(sent()).toEqual([`GET /api/spaces/${SPACE}/variables`])
  })

  it('answers the commit as planned, never made', async () => {
    await expect(
      dry.commit({
        spaceId: SPACE,
        createPr: false,
        lfsObjects: 0,
        description: 'Upload: 1 file(s) inline.',
        send: () => Promise.reject(new Error('not sent'))
      })
    ).resolves.toEqual({ planned: true })
    expect(dry.writes).toEqual([
      { method: 'POST', path: `/api/spaces/${SPACE}/commit/main`, body: 'Upload: 1 file(s) inline.' }
    ])
  })

  it('never shows a secret value: not in a record, not to the Hub', async () => {
    await dry.setSecret(SPACE, 'API_KEY', SECRET)
    await dry.create('acme/new-app', 'docker', {
      secrets: [{ key: 'API_KEY', value: SECRET }],
      variables: [{ key: 'MODE', value: 'fast' }]
    })
    await dry.duplicate(SPACE, 'acme/copy', { secrets: [{ key: 'OTHER', value: `${SECRET}-2` }] })
    const shown = JSON.stringify(dry.writes)
    expect(shown).not.toContain(SECRET)
    expect(shown).toContain('{"key":"API_KEY","value":"***"}')
    expect(shown).toContain('{"key":"OTHER","value":"***"}')
    // The variable is no secret: it is shown as it would be sent.
    expect(shown).toContain('{"key":"MODE","value":"fast"}')
    expect(JSON.stringify(hub.requests())).not.toContain(SECRET)
  })
})

describe('operations through the dry-run Spaces API', () => {
  const t = useInProcessHub([{ id: SPACE, timings: { buildMs: 30_000, startMs: 2_000 } }])

  it('create: records the one creation call, secrets as ***, and reports the new Space building', async () => {
    const start = t.clock.now()
    const run = await t.run(
      {
        'space-id': 'acme/new-app',
        operation: 'create',
        sdk: 'docker',
        hardware: 't4-small',
        secrets: 'API_KEY',
        'dry-run': 'true'
      },
      { HF_TOKEN: OWNER_TOKEN, API_KEY: SECRET }
    )
    expect(run.writes).toEqual([])
    expect(run.planned?.map(w => `${w.method} ${w.path}`)).toEqual(['POST /api/repos/create'])
    expect(JSON.stringify(run.planned)).not.toContain(SECRET)
    expect(run.result).toMatchObject({
      changed: true,
      created: true,
      after: { stage: 'BUILDING', requestedHardware: 't4-small' }
    })
    // A dry run never waits: the plan turns the wait off, so no time passes.
    expect(run.plan.wait).toBe(false)
    expect(t.clock.now()).toBe(start)
  })

  it('request-hardware on an existing Space: the answer reflects the flavor asked for, nothing is sent', async () => {
    const run = await t.run({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 'a10g-small',
      'sleep-time': '1h',
      'dry-run': 'true'
    })
    expect(run.writes).toEqual([])
    expect(run.planned).toEqual([
      {
        method: 'POST',
        path: `/api/spaces/${SPACE}/hardware`,
        body: { flavor: 'a10g-small', sleepTimeSeconds: 3600 }
      }
    ])
    expect(run.result.after).toMatchObject({ requestedHardware: 'a10g-small', sleepTime: 3600 })
    expect(t.hub.space(SPACE)?.runtime).toMatchObject({
      hardware: { current: 'cpu-basic', requested: 'cpu-basic' }
    })
  })
})
