/**
 * Commits to main rebuild the Space. The Space info `sha` is the head at once (docs/hub-api.md §6.8); the serving
 * commit (the runtime `sha`, served with `runtimeSha`) moves to a commit only when the build of that commit settles
 * RUNNING. Also the app to probe (SpaceSpec.app). Fake clock, no sleeping.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeClock, startEmulator, type Emulator } from '../src/index.js'
import { call, obj, runtimeOf, TOKENS } from './helpers.js'

const ID = 'acme/app'
const timings = { staleMs: 300, buildMs: 1000, startMs: 500 }
/** For tests about what follows the stale moment after a commit. */
const noStale = { ...timings, staleMs: 0 }
let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
})

afterEach(async () => {
  await hub.close()
})

async function push(content: string, id = ID): Promise<string> {
  const body =
    [
      { key: 'header', value: { summary: `app.py: ${content}`, description: '' } },
      {
        key: 'file',
        value: { path: 'app.py', content: Buffer.from(content).toString('base64'), encoding: 'base64' }
      }
    ]
      .map(line => JSON.stringify(line))
      .join('\n') + '\n'
  const answer = await call(hub.url, 'POST', `/api/spaces/${id}/commit/main`, {
    token: TOKENS.acme,
    body,
    headers: { 'Content-Type': 'application/x-ndjson' }
  })
  expect(answer.status).toBe(200)
  return obj(answer).commitOid as string
}

async function info(id = ID) {
  return obj(await call(hub.url, 'GET', `/api/spaces/${id}`, { token: TOKENS.acme }))
}

/** The stage and the serving commit, as the runtime reports them (the Space must have `runtimeSha`). */
async function stageAndSha(id = ID): Promise<[string, string]> {
  const runtime = obj(await call(hub.url, 'GET', `/api/spaces/${id}/runtime`, { token: TOKENS.acme }))
  return [runtime.stage as string, runtime.sha as string]
}

describe('a commit to main', () => {
  it('rebuilds a RUNNING Space: the info sha is the head at once, the serving sha moves when the build runs', async () => {
    hub.addSpace({ id: ID, timings, runtimeSha: true })
    const first = hub.space(ID)!.sha
    clock.advance(5000)
    const sha = await push('v2')
    expect(sha).not.toBe(first)
    const head = await info()
    expect([head.sha, (head.runtime as { sha: string }).sha]).toEqual([sha, first])
    const atMain = obj(await call(hub.url, 'GET', `/api/spaces/${ID}/revision/main`, { token: TOKENS.acme }))
    expect(atMain.sha).toBe(sha)
    // The old build answers RUNNING for a moment after the commit: clients must not take that as the new one.
    expect(await stageAndSha()).toEqual(['RUNNING', first])
    expect((await info()).lastModified).toBe(new Date(clock.now()).toISOString())
    clock.advance(300)
    expect(await stageAndSha()).toEqual(['RUNNING_BUILDING', first])
    clock.advance(1000)
    expect(await stageAndSha()).toEqual(['RUNNING_APP_STARTING', first])
    expect((await runtimeOf(hub.url, ID)).hardware.current).toBe('cpu-basic')
    clock.advance(499)
    expect(await stageAndSha()).toEqual(['RUNNING_APP_STARTING', first])
    clock.advance(1)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
    expect(hub.space(ID)).toMatchObject({ head: sha, sha, serving: sha, restarts: 0 })
  })

  it('builds cold from a stopped or failed Space, and a new commit restarts a build in progress', async () => {
    hub.addSpace({ id: ID, timings, stage: 'RUNTIME_ERROR', runtimeSha: true })
    const first = hub.space(ID)!.sha
    const one = await push('v2')
    expect(await stageAndSha()).toEqual(['BUILDING', first])
    clock.advance(600)
    const two = await push('v3')
    clock.advance(1000)
    expect(await stageAndSha()).toEqual(['APP_STARTING', first])
    clock.advance(500)
    expect(await stageAndSha()).toEqual(['RUNNING', two])
    expect(two).not.toBe(one)
  })

  it('keeps the old sha when the build fails, and reports BUILD_ERROR with the message and a build log', async () => {
    hub.addSpace({ id: ID, timings: noStale, runtimeSha: true })
    const first = hub.space(ID)!.sha
    hub.updateSpace(ID, {
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed: no such package' }
    })
    const broken = await push('import nope')
    expect(await stageAndSha()).toEqual(['RUNNING_BUILDING', first])
    clock.advance(1000)
    const runtime = await runtimeOf(hub.url, ID)
    expect([runtime.stage, runtime.errorMessage, runtime.hardware.current]).toEqual([
      'BUILD_ERROR',
      'pip failed: no such package',
      null
    ])
    expect((await stageAndSha())[1]).toBe(first)
    clock.advance(60_000)
    expect((await stageAndSha())[1]).toBe(first)
    expect((await info()).sha).toBe(broken)
    expect(hub.space(ID)!.head).toBe(broken)
    const log = await call(hub.url, 'GET', `/api/spaces/${ID}/logs/build`, { token: TOKENS.acme })
    expect(log.text).toContain(`Commit SHA: ${broken.slice(0, 7)}`)
    expect(log.text).toContain('--> ERROR: pip failed: no such package')

    const fixed = await push('import gradio')
    expect((await runtimeOf(hub.url, ID)).stage).toBe('BUILDING')
    clock.advance(1500)
    expect(await stageAndSha()).toEqual(['RUNNING', fixed])
    const okLog = await call(hub.url, 'GET', `/api/spaces/${ID}/logs/build`, { token: TOKENS.acme })
    expect(okLog.text).toContain(`Commit SHA: ${fixed.slice(0, 7)}`)
    expect(okLog.text).not.toContain('ERROR')
  })

  it('serves the build log of nextBuild, and keeps the old sha on RUNTIME_ERROR', async () => {
    hub.addSpace({ id: ID, timings: noStale, runtimeSha: true })
    const first = hub.space(ID)!.sha
    hub.updateSpace(ID, {
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'exit 1', buildLog: ['Step 1/2', 'ERROR: exit 1'] }
    })
    await push('a')
    clock.advance(1000)
    const log = await call(hub.url, 'GET', `/api/spaces/${ID}/logs/build`, { token: TOKENS.acme })
    expect(log.text.match(/"data":"[^"]*"/g)).toEqual(['"data":"Step 1/2\\n"', '"data":"ERROR: exit 1\\n"'])

    hub.updateSpace(ID, { nextBuild: { outcome: 'RUNTIME_ERROR', errorMessage: 'crashed' } })
    await push('b')
    clock.advance(1500)
    const runtime = await runtimeOf(hub.url, ID)
    expect([runtime.stage, runtime.errorMessage]).toEqual(['RUNTIME_ERROR', 'crashed'])
    expect((await stageAndSha())[1]).toBe(first)
  })

  it('serves a static Space’s new commit at once', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static', runtimeSha: true })
    const sha = await push('<h1>v2</h1>', 'acme/site')
    expect(await stageAndSha('acme/site')).toEqual(['RUNNING', sha])
  })

  it('leaves a PAUSED Space paused; the next restart builds the head', async () => {
    hub.addSpace({ id: ID, timings, stage: 'PAUSED', runtimeSha: true })
    const first = hub.space(ID)!.sha
    const sha = await push('v2')
    expect(await stageAndSha()).toEqual(['PAUSED', first])
    await call(hub.url, 'POST', `/api/spaces/${ID}/restart`, { token: TOKENS.acme })
    clock.advance(1500)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
  })

  it('keeps the serving sha through configuration restarts and hardware changes', async () => {
    hub.addSpace({ id: ID, timings, runtimeSha: true })
    const sha = await push('v2')
    clock.advance(1800)
    await call(hub.url, 'POST', `/api/spaces/${ID}/variables`, {
      token: TOKENS.acme,
      body: { key: 'A', value: '1' }
    })
    expect(await stageAndSha()).toEqual(['APP_STARTING', sha])
    clock.advance(500)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
    await call(hub.url, 'POST', `/api/spaces/${ID}/hardware`, {
      token: TOKENS.acme,
      body: { flavor: 'cpu-upgrade' }
    })
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
    clock.advance(300)
    expect(await stageAndSha()).toEqual(['RUNNING_BUILDING', sha])
    clock.advance(1500)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
    // The test knob: the serving sha at once, the history and the info sha (the head) untouched.
    hub.updateSpace(ID, { sha: 'b'.repeat(40) })
    expect(await stageAndSha()).toEqual(['RUNNING', 'b'.repeat(40)])
    expect([hub.space(ID)!.head, (await info()).sha]).toEqual([sha, sha])
  })

  it('serves runtimes without sha by default, as every recording has them', async () => {
    hub.addSpace({ id: ID, timings })
    const sha = await push('v2')
    expect(Object.keys((await info()).runtime as object)).not.toContain('sha')
    expect(
      'sha' in obj(await call(hub.url, 'GET', `/api/spaces/${ID}/runtime`, { token: TOKENS.acme }))
    ).toBe(false)
    clock.advance(1800)
    expect(hub.space(ID)).toMatchObject({ sha, serving: sha })
  })

  it('starts no build for a commit with buildOnCommit: false; a restart builds the head', async () => {
    hub.addSpace({ id: ID, timings, runtimeSha: true, buildOnCommit: false })
    const first = hub.space(ID)!.sha
    const sha = await push('v2')
    clock.advance(60_000)
    expect(await stageAndSha()).toEqual(['RUNNING', first])
    expect((await info()).sha).toBe(sha)
    await call(hub.url, 'POST', `/api/spaces/${ID}/restart`, { token: TOKENS.acme })
    expect((await stageAndSha())[0]).toBe('BUILDING')
    clock.advance(1500)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
  })
})

describe('the app to probe (SpaceSpec.app)', () => {
  it('reports the app as the domain and host, and answers 503 until RUNNING and warmed up', async () => {
    hub.addSpace({
      id: ID,
      timings: noStale,
      stage: 'BUILDING',
      app: { routes: { '/health': 204 }, warmupMs: 2000 }
    })
    const runtime = await runtimeOf(hub.url, ID)
    const appUrl = (await hub.appUrl(ID))!
    const port = new URL(appUrl).port
    expect(runtime.domains).toEqual([{ domain: `127.0.0.1:${port}`, stage: 'READY' }])
    expect(await info()).toMatchObject({ host: `http://127.0.0.1:${port}`, subdomain: 'acme-app' })

    const probe = async (path: string) => {
      const answer = await fetch(`${appUrl}${path}`)
      await answer.arrayBuffer()
      return answer.status
    }
    expect(await probe('/health')).toBe(503)
    clock.advance(1500)
    expect((await runtimeOf(hub.url, ID)).stage).toBe('RUNNING')
    expect(await probe('/health')).toBe(503)
    clock.advance(1999)
    expect(await probe('/health')).toBe(503)
    clock.advance(1)
    expect([await probe('/health'), await probe('/'), await probe('/other')]).toEqual([204, 200, 404])
    const root = await fetch(appUrl)
    expect([root.headers.get('content-type'), await root.text()]).toEqual([
      'text/html; charset=utf-8',
      expect.stringContaining(ID)
    ])

    await push('v2')
    expect(await probe('/health')).toBe(503)
    clock.advance(1500 + 2000)
    expect(await probe('/health')).toBe(204)
    expect(hub.appRequests(ID).map(r => `${r.path} ${r.status}`)).toEqual([
      '/health 503',
      '/health 503',
      '/health 503',
      '/health 204',
      '/ 200',
      '/other 404',
      '/ 200',
      '/health 503',
      '/health 204'
    ])
  })

  it('serves no app for Spaces without one', async () => {
    hub.addSpace({ id: ID })
    expect(await hub.appUrl(ID)).toBeUndefined()
    expect(hub.appRequests(ID)).toEqual([])
    expect((await runtimeOf(hub.url, ID)).domains).toEqual([{ domain: 'acme-app.hf.space', stage: 'READY' }])
  })

  it('closes the app servers with the emulator', async () => {
    hub.addSpace({ id: ID, app: {} })
    const appUrl = (await hub.appUrl(ID))!
    expect((await fetch(appUrl)).status).toBe(200)
    await hub.close()
    await expect(fetch(appUrl)).rejects.toThrow()
  })
})
