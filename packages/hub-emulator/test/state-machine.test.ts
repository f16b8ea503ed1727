/** The Space state machine, driven by a fake clock over real HTTP. Nothing here sleeps. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeClock, startEmulator, type Emulator } from '../src/index.js'
import { call, obj, runtimeOf, TOKENS } from './helpers.js'

const ID = 'acme/app'
const timings = { staleMs: 300, buildMs: 1000, startMs: 500 }

let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
})

afterEach(async () => {
  await hub.close()
})

function post(path: string, body?: unknown, token: string = TOKENS.acme) {
  return call(hub.url, 'POST', `/api/spaces/${ID}/${path}`, { token, body })
}

async function observe() {
  const runtime = await runtimeOf(hub.url, ID)
  return [runtime.stage, runtime.hardware.current, runtime.hardware.requested]
}

describe('defaults', () => {
  it('seeds a gradio Space RUNNING on cpu-basic with the 48 h sleep time', async () => {
    hub.addSpace({ id: ID })
    const runtime = await runtimeOf(hub.url, ID)
    expect(runtime).toEqual({
      stage: 'RUNNING',
      hardware: { current: 'cpu-basic', requested: 'cpu-basic' },
      storage: null,
      gcTimeout: 172800,
      replicas: { requested: 1, current: 1 },
      devMode: false,
      domains: [{ domain: 'acme-app.hf.space', stage: 'READY' }]
    })
  })

  it('gives upgraded hardware no sleep time by default, and honours sleepTime', async () => {
    hub.addSpace({ id: ID, hardware: 't4-small' })
    hub.addSpace({ id: 'acme/other', hardware: 't4-small', sleepTime: 3600 })
    expect((await runtimeOf(hub.url, ID)).gcTimeout).toBeNull()
    expect((await runtimeOf(hub.url, 'acme/other')).gcTimeout).toBe(3600)
  })

  it('serves static Spaces in the recorded static shape', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    const result = await call(hub.url, 'GET', '/api/spaces/acme/site/runtime')
    expect(result.text).toBe(
      '{"stage":"RUNNING","hardware":{"current":null,"requested":null},"storage":null,"replicas":{"requested":1,"current":1}}'
    )
  })

  it('derives the subdomain from the id unless one is given', () => {
    hub.addSpace({ id: 'Black-Forest-Labs/FLUX.1-schnell' })
    hub.addSpace({ id: 'acme/renamed', subdomain: 'acme-old-name' })
    expect(hub.space('Black-Forest-Labs/FLUX.1-schnell')?.info.subdomain).toBe(
      'black-forest-labs-flux-1-schnell'
    )
    expect(hub.space('acme/renamed')?.runtime.domains).toEqual([
      { domain: 'acme-old-name.hf.space', stage: 'READY' }
    ])
    expect(hub.space('acme/renamed')?.info.host).toBe('https://acme-old-name.hf.space')
  })

  it('rejects invalid specs', () => {
    expect(() => hub.addSpace({ id: 'no-namespace' })).toThrow(/Invalid Space/)
    expect(() => hub.addSpace({ id: ID, hardware: 'h100-imaginary' })).toThrow(/hardware/)
    expect(() => hub.addSpace({ id: ID, sha: 'abc' })).toThrow(/sha/)
    hub.addSpace({ id: ID })
    expect(() => hub.addSpace({ id: ID })).toThrow(/already exists/)
    expect(() => hub.updateSpace('acme/missing', { stage: 'PAUSED' })).toThrow(/No Space/)
  })
})

describe('hardware requests', () => {
  it('walks a running Space through the stale window, RUNNING_BUILDING and RUNNING_APP_STARTING', async () => {
    hub.addSpace({ id: ID, timings })
    const answer = await post('hardware', { flavor: 't4-medium' })
    expect(answer.status).toBe(200)
    expect(obj(answer).stage).toBe('RUNNING')
    expect(obj(answer).hardware).toEqual({ current: 'cpu-basic', requested: 't4-medium' })
    expect(obj(answer).gcTimeout).toBeNull()

    clock.advance(299)
    expect(await observe()).toEqual(['RUNNING', 'cpu-basic', 't4-medium'])
    clock.advance(1)
    expect(await observe()).toEqual(['RUNNING_BUILDING', 'cpu-basic', 't4-medium'])
    clock.advance(999)
    expect(await observe()).toEqual(['RUNNING_BUILDING', 'cpu-basic', 't4-medium'])
    clock.advance(1)
    expect(await observe()).toEqual(['RUNNING_APP_STARTING', 'cpu-basic', 't4-medium'])
    clock.advance(500)
    expect(await observe()).toEqual(['RUNNING', 't4-medium', 't4-medium'])
    clock.advance(86_400_000)
    expect(await observe()).toEqual(['RUNNING', 't4-medium', 't4-medium'])
  })

  it('changes nothing when the running flavor is requested again', async () => {
    hub.addSpace({ id: ID })
    const before = await call(hub.url, 'GET', `/api/spaces/${ID}/runtime`)
    const answer = await post('hardware', { flavor: 'cpu-basic' })
    expect(answer.text).toBe(before.text)
    clock.advance(1)
    expect(await observe()).toEqual(['RUNNING', 'cpu-basic', 'cpu-basic'])
  })

  it('does not restart a transition when the same flavor is requested again', async () => {
    hub.addSpace({ id: ID, timings })
    await post('hardware', { flavor: 't4-small' })
    clock.advance(1000)
    await post('hardware', { flavor: 't4-small' })
    clock.advance(800)
    expect(await observe()).toEqual(['RUNNING', 't4-small', 't4-small'])
  })

  it('builds cold from a paused Space', async () => {
    hub.addSpace({ id: ID, stage: 'PAUSED', timings })
    const answer = await post('hardware', { flavor: 'a10g-small' })
    expect(obj(answer).stage).toBe('BUILDING')
    expect(obj(answer).hardware).toEqual({ current: null, requested: 'a10g-small' })
    clock.advance(1000)
    expect(await observe()).toEqual(['APP_STARTING', null, 'a10g-small'])
    clock.advance(500)
    expect(await observe()).toEqual(['RUNNING', 'a10g-small', 'a10g-small'])
  })

  it('applies the sleep-time rules of each flavor', async () => {
    hub.addSpace({ id: ID, timings })
    expect(obj(await post('hardware', { flavor: 't4-small' })).gcTimeout).toBeNull()
    expect(obj(await post('hardware', { flavor: 't4-medium', sleepTimeSeconds: 3600 })).gcTimeout).toBe(3600)
    expect(obj(await post('hardware', { flavor: 'a10g-small' })).gcTimeout).toBe(3600)
    expect(obj(await post('hardware', { flavor: 'a10g-large', sleepTimeSeconds: -1 })).gcTimeout).toBeNull()
    expect(obj(await post('hardware', { flavor: 'cpu-basic', sleepTimeSeconds: 600 })).gcTimeout).toBe(172800)
  })

  it('rejects unknown flavors, bad sleep times and paid hardware without a payment method', async () => {
    hub.addSpace({ id: ID })
    hub.addSpace({ id: 'broke/app' })
    hub.addSpace({ id: 'broke/docker', sdk: 'docker' })
    const unknown = await post('hardware', { flavor: 'quantum-xl' })
    expect(unknown.status).toBe(400)
    expect(obj(unknown).error).toMatch(/^Invalid hardware flavor/)
    expect((await post('hardware', {})).status).toBe(400)
    expect((await post('hardware', { flavor: 't4-small', sleepTimeSeconds: 0 })).status).toBe(400)
    expect((await post('hardware', 'not json')).status).toBe(400)

    const paid = await call(hub.url, 'POST', '/api/spaces/broke/app/hardware', {
      token: TOKENS.broke,
      body: { flavor: 't4-small' }
    })
    expect(paid.status).toBe(402)
    expect(obj(paid).error).toMatch(/^Payment method required/)
    expect(paid.headers.get('x-error-message')).toBe(obj(paid).error)
    expect(hub.space('broke/app')?.runtime.hardware).toEqual({ current: 'cpu-basic', requested: 'cpu-basic' })

    const zero = await call(hub.url, 'POST', '/api/spaces/broke/app/hardware', {
      token: TOKENS.broke,
      body: { flavor: 'zero-a10g' }
    })
    expect(zero.status).toBe(200)
    const zeroDocker = await call(hub.url, 'POST', '/api/spaces/broke/docker/hardware', {
      token: TOKENS.broke,
      body: { flavor: 'zero-a10g' }
    })
    expect(zeroDocker.status).toBe(400)
  })
})

describe('nextBuild outcomes', () => {
  it('fails with BUILD_ERROR right after the build phase, then is consumed', async () => {
    hub.addSpace({ id: ID, timings, nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed' } })
    await post('hardware', { flavor: 't4-small' })
    clock.advance(300)
    expect(await observe()).toEqual(['RUNNING_BUILDING', 'cpu-basic', 't4-small'])
    clock.advance(1000)
    const failed = await runtimeOf(hub.url, ID)
    expect(failed.stage).toBe('BUILD_ERROR')
    expect(failed.hardware).toEqual({ current: null, requested: 't4-small' })
    expect(failed.errorMessage).toBe('pip failed')
    expect(Object.keys(failed)).toEqual([
      'stage',
      'hardware',
      'storage',
      'gcTimeout',
      'errorMessage',
      'replicas',
      'devMode',
      'domains'
    ])

    await post('restart')
    clock.advance(1500)
    const healthy = await runtimeOf(hub.url, ID)
    expect(healthy.stage).toBe('RUNNING')
    expect(healthy.errorMessage).toBeUndefined()
  })

  it('fails with RUNTIME_ERROR after the start phase', async () => {
    hub.addSpace({ id: ID, timings })
    hub.updateSpace(ID, { nextBuild: { outcome: 'RUNTIME_ERROR', errorMessage: 'exit 1' } })
    expect(obj(await post('restart')).stage).toBe('BUILDING')
    clock.advance(1000)
    expect(await observe()).toEqual(['APP_STARTING', null, 'cpu-basic'])
    clock.advance(500)
    expect(await runtimeOf(hub.url, ID)).toMatchObject({ stage: 'RUNTIME_ERROR', errorMessage: 'exit 1' })
  })

  it('fails with CONFIG_ERROR before building', async () => {
    hub.addSpace({ id: ID, timings, nextBuild: { outcome: 'CONFIG_ERROR', errorMessage: 'bad YAML' } })
    const answer = await post('restart')
    expect(obj(answer)).toMatchObject({ stage: 'CONFIG_ERROR', errorMessage: 'bad YAML' })
  })

  it('applies to an initial transitional stage', async () => {
    hub.addSpace({
      id: ID,
      stage: 'BUILDING',
      timings,
      nextBuild: { outcome: 'NO_APP_FILE', errorMessage: 'no app.py' }
    })
    expect(await observe()).toEqual(['NO_APP_FILE', null, 'cpu-basic'])
    hub.addSpace({ id: 'acme/fresh', stage: 'BUILDING', timings })
    expect(hub.space('acme/fresh')?.runtime.stage).toBe('BUILDING')
    clock.advance(1500)
    expect(hub.space('acme/fresh')?.runtime.stage).toBe('RUNNING')
  })
})

describe('sleep time', () => {
  it('is accepted and ignored on cpu-basic', async () => {
    hub.addSpace({ id: ID })
    const answer = await post('sleeptime', { seconds: 600 })
    expect(answer.status).toBe(200)
    expect(obj(answer).gcTimeout).toBe(172800)
  })

  it('sets gcTimeout on upgraded hardware, -1 meaning never', async () => {
    hub.addSpace({ id: ID, hardware: 't4-small' })
    expect(obj(await post('sleeptime', { seconds: 600 })).gcTimeout).toBe(600)
    expect(obj(await post('sleeptime', { seconds: -1 })).gcTimeout).toBeNull()
    expect(obj(await post('sleeptime', { seconds: 600 })).stage).toBe('RUNNING')
  })

  it.each([[0], [-2], [1.5], ['600'], [null]])('rejects seconds = %p', async seconds => {
    hub.addSpace({ id: ID, hardware: 't4-small' })
    expect((await post('sleeptime', { seconds })).status).toBe(400)
  })
})

describe('pause, restart, sleeping', () => {
  it('pauses at once, keeps the requested flavor, and pausing again changes nothing', async () => {
    hub.addSpace({ id: ID, hardware: 't4-small' })
    const paused = await post('pause')
    expect(obj(paused)).toMatchObject({ stage: 'PAUSED', hardware: { current: null, requested: 't4-small' } })
    expect(obj(paused).replicas).toEqual({ requested: 1 })
    const again = await post('pause')
    expect(again.status).toBe(200)
    expect(again.text).toBe(paused.text)
    clock.advance(3_600_000)
    expect(await observe()).toEqual(['PAUSED', null, 't4-small'])
  })

  it('restarts from RUNNING, PAUSED and SLEEPING through BUILDING and APP_STARTING', async () => {
    for (const stage of ['RUNNING', 'PAUSED', 'SLEEPING', 'RUNTIME_ERROR'] as const) {
      const id = `acme/from-${stage.toLowerCase().replace('_', '-')}`
      hub.addSpace({ id, stage, timings })
      const answer = await call(hub.url, 'POST', `/api/spaces/${id}/restart?factory=true`, {
        token: TOKENS.acme
      })
      expect(obj(answer)).toMatchObject({
        stage: 'BUILDING',
        hardware: { current: null, requested: 'cpu-basic' }
      })
      clock.advance(1000)
      expect(hub.space(id)?.runtime.stage).toBe('APP_STARTING')
      clock.advance(500)
      expect(hub.space(id)?.runtime).toMatchObject({ stage: 'RUNNING', hardware: { current: 'cpu-basic' } })
    }
    expect(hub.requests().find(r => r.path.endsWith('/restart'))?.query).toEqual({ factory: 'true' })
  })

  it('keeps a Space asleep until a hardware request wakes it', async () => {
    hub.addSpace({ id: ID, timings })
    hub.updateSpace(ID, { stage: 'SLEEPING' })
    clock.advance(10 * 86_400_000)
    expect(await observe()).toEqual(['SLEEPING', null, 'cpu-basic'])
    expect(obj(await post('hardware', { flavor: 'cpu-basic' })).stage).toBe('BUILDING')
    clock.advance(1500)
    expect(await observe()).toEqual(['RUNNING', 'cpu-basic', 'cpu-basic'])
  })

  it('refuses pause, restart, hardware and sleeptime on static Spaces', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    for (const [action, body] of [
      ['pause', undefined],
      ['restart', undefined],
      ['hardware', { flavor: 'cpu-upgrade' }],
      ['sleeptime', { seconds: 600 }]
    ] as const) {
      const answer = await call(hub.url, 'POST', `/api/spaces/acme/site/${action}`, {
        token: TOKENS.acme,
        body
      })
      expect(answer.status).toBe(400)
    }
    const pause = await call(hub.url, 'POST', '/api/spaces/acme/site/pause', { token: TOKENS.acme })
    expect(pause.json).toEqual({ error: 'Cannot pause a static Space' })
  })
})

describe('Space info and views', () => {
  it('serves the Space info with the live runtime embedded', async () => {
    hub.addSpace({ id: ID, timings })
    await post('restart')
    const info = obj(await call(hub.url, 'GET', `/api/spaces/${ID}`))
    expect(Object.keys(info)).toEqual([
      '_id',
      'id',
      'author',
      'sha',
      'lastModified',
      'private',
      'gated',
      'disabled',
      'host',
      'subdomain',
      'likes',
      'sdk',
      'tags',
      'createdAt',
      'siblings',
      'runtime'
    ])
    expect(info).toMatchObject({
      id: ID,
      author: 'acme',
      host: 'https://acme-app.hf.space',
      subdomain: 'acme-app',
      sdk: 'gradio',
      private: false,
      siblings: [{ rfilename: '.gitattributes' }, { rfilename: 'README.md' }],
      runtime: { stage: 'BUILDING' }
    })
    expect(info._id).toMatch(/^[0-9a-f]{24}$/)
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(info.createdAt).toBe(new Date(clock.now()).toISOString())
  })

  it('computes space() at the clock', () => {
    hub.addSpace({ id: ID, stage: 'APP_STARTING', timings, private: true })
    expect(hub.space(ID)).toMatchObject({
      id: ID,
      sdk: 'gradio',
      private: true,
      runtime: { stage: 'APP_STARTING' }
    })
    clock.advance(500)
    expect(hub.space(ID)?.runtime.stage).toBe('RUNNING')
    expect(hub.space('acme/none')).toBeUndefined()
  })

  it('updates logs, sha and hardware in place', () => {
    hub.addSpace({ id: ID })
    const sha = 'a'.repeat(40)
    clock.advance(1000)
    const head = hub.space(ID)?.head
    hub.updateSpace(ID, { sha, hardware: 'l4x1' })
    const view = hub.space(ID)
    expect([view?.serving, view?.info.sha]).toEqual([sha, head])
    expect(view?.runtime).toMatchObject({
      stage: 'RUNNING',
      hardware: { current: 'l4x1', requested: 'l4x1' }
    })
    expect(view?.runtime.gcTimeout).toBeNull()
  })
})
