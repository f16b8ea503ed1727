/**
 * Commits to main rebuild the Space, and the Space info `sha` follows the build: it moves to a commit only when
 * the build of that commit settles RUNNING. Also the app to probe (SpaceSpec.app). Fake clock, no sleeping.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeClock, startEmulator, type Emulator } from '../hub-emulator/index.js'
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

async function stageAndSha(id = ID): Promise<[string, string]> {
  const i = await info(id)
  return [(i.runtime as { stage: string }).stage, i.sha as string]
}

describe('a commit to main', () => {
  it('rebuilds a RUNNING Space, and the info sha moves only when the build is RUNNING', async () => {
    hub.addSpace({ id: ID, timings })
    const first = hub.space(ID)!.sha
    clock.advance(5000)
    const sha = await push('v2')
    expect(sha).not.toBe(first)
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
    expect(hub.space(ID)!.head).toBe(sha)
    expect(hub.space(ID)!.restarts).toBe(0)
  })

  it('builds cold from a stopped or failed Space, and a new commit restarts a build in progress', async () => {
    hub.addSpace({ id: ID, timings, stage: 'RUNTIME_ERROR' })
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
    hub.addSpace({ id: ID, timings: noStale })
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
    expect((await info()).sha).toBe(first)
    clock.advance(60_000)
    expect((await info()).sha).toBe(first)
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
    hub.addSpace({ id: ID, timings: noStale })
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
    expect((await info()).sha).toBe(first)
  })

  it('serves a static Space’s new commit at once', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    const sha = await push('<h1>v2</h1>', 'acme/site')
    expect(await stageAndSha('acme/site')).toEqual(['RUNNING', sha])
  })

  it('leaves a PAUSED Space paused; the next restart builds the head', async () => {
    hub.addSpace({ id: ID, timings, stage: 'PAUSED' })
    const first = hub.space(ID)!.sha
    const sha = await push('v2')
    expect(await stageAndSha()).toEqual(['PAUSED', first])
    await call(hub.url, 'POST', `/api/spaces/${ID}/restart`, { token: TOKENS.acme })
    clock.advance(1500)
    expect(await stageAndSha()).toEqual(['RUNNING', sha])
  })

  it('keeps the deployed sha through configuration restarts and hardware changes', async () => {
    hub.addSpace({ id: ID, timings })
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
    // The test knob: the info sha at once, the history untouched.
    hub.updateSpace(ID, { sha: 'b'.repeat(40) })
    expect(await stageAndSha()).toEqual(['RUNNING', 'b'.repeat(40)])
    expect(hub.space(ID)!.head).toBe(sha)
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
