/** Space lifecycle: POST /api/repos/create, POST /api/spaces/{id}/duplicate, DELETE /api/repos/delete. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNTS, FakeClock, startEmulator, type Account, type Emulator } from '../src/index.js'
import { call, obj, runtimeOf, TOKENS, type CallResult } from './helpers.js'

let clock: FakeClock
let hub: Emulator

async function start(accounts: Account[] = DEFAULT_ACCOUNTS) {
  hub = await startEmulator({ clock, accounts })
}

beforeEach(async () => {
  clock = new FakeClock()
  await start()
})

afterEach(async () => {
  await hub.close()
})

/** `token: null` sends none. */
function create(body: Record<string, unknown>, token: string | null = TOKENS.acme) {
  return call(hub.url, 'POST', '/api/repos/create', {
    ...(token === null ? {} : { token }),
    body: { type: 'space', organization: null, ...body }
  })
}

function duplicate(from: string, body: Record<string, unknown>, token: string = TOKENS.acme) {
  return call(hub.url, 'POST', `/api/spaces/${from}/duplicate`, { token, body })
}

function remove(name: string, organization: string | null, token: string | null = TOKENS.acme) {
  return call(hub.url, 'DELETE', '/api/repos/delete', {
    ...(token === null ? {} : { token }),
    body: { name, organization, type: 'space' }
  })
}

function expectError(result: CallResult, status: number, message?: string | RegExp) {
  expect([result.status, Object.keys(obj(result))]).toEqual([status, ['error']])
  if (message !== undefined)
    expect(obj(result).error).toEqual(message instanceof RegExp ? expect.stringMatching(message) : message)
}

const customer = (name: string, traits: Partial<Account> = {}): Account => ({
  name,
  token: `hf_emulator_${name}_0123456789`,
  role: 'write',
  ...traits
})

describe('POST /api/repos/create', () => {
  it('creates a gradio Space that builds, starts and runs on cpu-basic', async () => {
    const result = await create({ name: 'new-app', sdk: 'gradio' })
    expect(result.status).toBe(200)
    expect(Object.keys(obj(result))).toEqual(['url', 'name', 'id'])
    expect(obj(result)).toEqual({
      url: 'https://huggingface.co/spaces/acme/new-app',
      name: 'acme/new-app',
      id: expect.stringMatching(/^[0-9a-f]{24}$/)
    })
    const info = obj(await call(hub.url, 'GET', '/api/spaces/acme/new-app', { token: TOKENS.acme }))
    expect(info._id).toBe(obj(result).id)
    expect(info.siblings).toEqual([{ rfilename: '.gitattributes' }, { rfilename: 'README.md' }])
    expect(info.private).toBe(false)

    const first = await call(hub.url, 'GET', '/api/spaces/acme/new-app/runtime')
    expect(first.text).toBe(
      '{"stage":"BUILDING","hardware":{"current":null,"requested":"cpu-basic"},"storage":null,"gcTimeout":172800,"replicas":{"requested":1},"devMode":false,"domains":[{"domain":"acme-new-app.hf.space","stage":"READY"}]}'
    )
    clock.advance(1000)
    expect((await runtimeOf(hub.url, 'acme/new-app')).stage).toBe('APP_STARTING')
    clock.advance(500)
    const running = await runtimeOf(hub.url, 'acme/new-app')
    expect([running.stage, running.hardware.current]).toEqual(['RUNNING', 'cpu-basic'])
  })

  it('creates a static Space RUNNING at once with the four seeded files', async () => {
    const result = await create({ name: 'site', sdk: 'static' })
    expect(result.status).toBe(200)
    const runtime = await call(hub.url, 'GET', '/api/spaces/acme/site/runtime')
    expect(runtime.text).toBe(
      '{"stage":"RUNNING","hardware":{"current":null,"requested":null},"storage":null,"replicas":{"requested":1,"current":1}}'
    )
    const info = obj(await call(hub.url, 'GET', '/api/spaces/acme/site'))
    expect(info.siblings).toEqual(
      ['.gitattributes', 'README.md', 'index.html', 'style.css'].map(rfilename => ({ rfilename }))
    )
  })

  it('applies hardware, sleep time, visibility, secrets, variables and files', async () => {
    const result = await create({
      name: 'full',
      sdk: 'docker',
      visibility: 'private',
      hardware: 't4-small',
      sleepTimeSeconds: 3600,
      secrets: [{ key: 'HF_TOKEN', value: 's3cret', description: 'token' }],
      variables: [{ key: 'MODEL', value: 'gpt2' }],
      files: [
        { path: 'Dockerfile', content: 'FROM python:3.12', encoding: 'utf-8' },
        { path: 'README.md', content: 'LS0tCg==', encoding: 'base64' }
      ]
    })
    expect(result.status).toBe(200)
    expect(result.headers.get('x-hf-warning')).toBeNull()
    const view = hub.space('acme/full')!
    expect(view.runtime).toMatchObject({
      stage: 'BUILDING',
      hardware: { current: null, requested: 't4-small' },
      gcTimeout: 3600
    })
    expect([view.private, view.visibility, view.restarts]).toEqual([true, 'private', 0])
    expect(view.secrets).toEqual({
      HF_TOKEN: { key: 'HF_TOKEN', description: 'token', updatedAt: '2026-01-01T00:00:00.000Z' }
    })
    expect(view.variables).toEqual({ MODEL: { value: 'gpt2', updatedAt: '2026-01-01T00:00:00.000Z' } })
    expect(hub.secretValue('acme/full', 'HF_TOKEN')).toBe('s3cret')
    // siblings come in git order; the given README.md replaces the default one
    expect((view.info.siblings as { rfilename: string }[]).map(s => s.rfilename)).toEqual([
      '.gitattributes',
      'Dockerfile',
      'README.md'
    ])
    expect(hub.fileContent('acme/full', 'Dockerfile')?.toString()).toBe('FROM python:3.12')
    expect(hub.fileContent('acme/full', 'README.md')?.toString()).toBe('---\n')
    expect((await call(hub.url, 'GET', '/api/spaces/acme/full/runtime')).status).toBe(401)
  })

  it('keeps the 48 h sleep time on cpu-basic and honours -1 elsewhere', async () => {
    await create({ name: 'basic', sdk: 'gradio', sleepTimeSeconds: 60 })
    await create({ name: 'never', sdk: 'gradio', hardware: 'cpu-upgrade', sleepTimeSeconds: -1 })
    expect(hub.space('acme/basic')?.runtime.gcTimeout).toBe(172800)
    expect(hub.space('acme/never')?.runtime.gcTimeout).toBeNull()
  })

  it('stores the legacy private flag and the protected visibility', async () => {
    await create({ name: 'legacy', sdk: 'static', private: true })
    await create({ name: 'guarded', sdk: 'static', visibility: 'protected' })
    expect([hub.space('acme/legacy')?.private, hub.space('acme/legacy')?.visibility]).toEqual([
      true,
      'private'
    ])
    expect([hub.space('acme/guarded')?.private, hub.space('acme/guarded')?.visibility]).toEqual([
      true,
      'protected'
    ])
  })

  it('creates under an org the caller writes for', async () => {
    const result = await create({ name: 'team-tool', organization: 'acme-org', sdk: 'gradio' })
    expect(obj(result).name).toBe('acme-org/team-tool')
    expect(hub.space('acme-org/team-tool')?.runtime.stage).toBe('BUILDING')
  })

  it('maps zerogpu to zero-a10g for gradio Spaces, and refuses it for docker', async () => {
    expect((await create({ name: 'zero', sdk: 'gradio', hardware: 'zerogpu' })).status).toBe(200)
    expect(hub.space('acme/zero')?.runtime.hardware).toEqual({ current: null, requested: 'zero-a10g' })
    expectError(await create({ name: 'zero-docker', sdk: 'docker', hardware: 'zerogpu' }), 400, /ZeroGPU/)
  })

  it('ignores storageTier with an X-HF-Warning', async () => {
    const result = await create({ name: 'stored', sdk: 'gradio', storageTier: 'small' })
    expect(result.status).toBe(200)
    expect(result.headers.get('x-hf-warning')).toMatch(/^storage; Persistent storage is no longer available/)
    expect(hub.space('acme/stored')?.runtime.storage).toBeNull()
  })

  it('requires a token', async () => {
    const anonymous = await create({ name: 'x', sdk: 'static' }, null)
    expectError(anonymous, 401, 'Invalid username or password.')
    expect((await create({ name: 'x', sdk: 'static' }, 'hf_nope')).status).toBe(401)
  })

  it.each([
    ['model repos', { name: 'm', sdk: 'gradio', type: 'model' }],
    ['a missing type', { name: 'm', sdk: 'gradio', type: undefined }],
    ['a missing name', { sdk: 'gradio' }],
    ['a name with a leading dash', { name: '-app', sdk: 'gradio' }],
    ['a name with a trailing dot', { name: 'app.', sdk: 'gradio' }],
    ['a name with --', { name: 'my--app', sdk: 'gradio' }],
    ['a name with ..', { name: 'my..app', sdk: 'gradio' }],
    ['a name ending in .git', { name: 'app.git', sdk: 'gradio' }],
    ['a name of 97 characters', { name: 'a'.repeat(97), sdk: 'gradio' }],
    ['a name with a slash', { name: 'a/b', sdk: 'gradio' }],
    ['a missing sdk', { name: 'app' }],
    ['the streamlit sdk', { name: 'app', sdk: 'streamlit' }],
    [
      'private together with visibility',
      { name: 'app', sdk: 'gradio', private: true, visibility: 'private' }
    ],
    ['an unknown visibility', { name: 'app', sdk: 'gradio', visibility: 'secret' }],
    ['a bad secret key', { name: 'app', sdk: 'gradio', secrets: [{ key: '1KEY', value: 'v' }] }],
    ['a variable without value', { name: 'app', sdk: 'gradio', variables: [{ key: 'K' }] }],
    ['a bad sleep time', { name: 'app', sdk: 'gradio', sleepTimeSeconds: 0 }],
    ['a file outside the repo', { name: 'app', sdk: 'gradio', files: [{ path: '../x', content: '' }] }]
  ])('answers 400 to %s', async (_what, body) => {
    const result = await create(body)
    expectError(result, 400)
    expect(result.headers.get('x-error-message')).toBe(obj(result).error)
    expect(hub.space('acme/app')).toBeUndefined()
  })

  it('accepts a 96-character name', async () => {
    expect((await create({ name: `a${'b'.repeat(94)}c`, sdk: 'static' })).status).toBe(200)
  })

  it('answers 403 with the Hub message outside the namespaces the caller writes', async () => {
    const result = await create({ name: 'app', sdk: 'static', organization: 'acme' }, TOKENS.outsider)
    expect(result.status).toBe(403)
    expect(result.json).toEqual({
      error: 'You don\'t have the rights to create a space under the namespace "acme"'
    })
    expect((await create({ name: 'app', sdk: 'static' }, TOKENS.reader)).status).toBe(403)
    const contributor = customer('cy', {
      orgs: [{ name: 'acme-org', roleInOrg: 'contributor', plan: 'team' }]
    })
    await hub.close()
    await start([contributor])
    expect(
      (await create({ name: 'app', sdk: 'static', organization: 'acme-org' }, contributor.token)).status
    ).toBe(403)
  })

  it('answers 409 with the recorded body and no error headers when the Space exists', async () => {
    hub.addSpace({ id: 'acme/taken' })
    const result = await create({ name: 'taken', sdk: 'gradio' })
    expect(result.status).toBe(409)
    expect(result.text).toBe(
      '{"error":"You already created this space repo","url":"https://huggingface.co/spaces/acme/taken"}'
    )
    expect(result.headers.get('x-error-code')).toBeNull()
    expect(result.headers.get('x-error-message')).toBeNull()
  })

  it('answers 402 to gradio and docker Spaces without a subscription, not to static ones', async () => {
    for (const sdk of ['gradio', 'docker']) {
      const result = await create({ name: `app-${sdk}`, sdk }, TOKENS.broke)
      expectError(result, 402, /subscription/)
    }
    expect((await create({ name: 'site', sdk: 'static' }, TOKENS.broke)).status).toBe(200)
    expect((await create({ name: 'app', sdk: 'gradio' }, TOKENS.outsider)).status).toBe(402)
  })

  it('answers 402 in an org without a plan', async () => {
    const member = customer('ann', { isPro: true, orgs: [{ name: 'free-org', roleInOrg: 'admin' }] })
    await hub.close()
    await start([member])
    expect(
      (await create({ name: 'app', sdk: 'gradio', organization: 'free-org' }, member.token)).status
    ).toBe(402)
    expect((await create({ name: 'app', sdk: 'gradio' }, member.token)).status).toBe(200)
  })

  it('lets a free namespace host two ZeroGPU Spaces, then answers 402', async () => {
    for (const name of ['z1', 'z2']) {
      expect((await create({ name, sdk: 'gradio', hardware: 'zero-a10g' }, TOKENS.broke)).status).toBe(200)
    }
    expectError(
      await create({ name: 'z3', sdk: 'gradio', hardware: 'zerogpu' }, TOKENS.broke),
      402,
      /ZeroGPU/
    )
  })

  it('checks the hardware after the subscription: unknown flavors 400, paid ones 402 without billing', async () => {
    expectError(
      await create({ name: 'app', sdk: 'gradio', hardware: 'h100x99' }),
      400,
      /Invalid hardware flavor/
    )
    expect((await create({ name: 'app', sdk: 'gradio', hardware: 'h100x99' }, TOKENS.broke)).status).toBe(402)
    expectError(await create({ name: 'app', sdk: 'static', hardware: 'cpu-basic' }), 400)
    const proNoCard = customer('pia', { isPro: true, canPay: false })
    await hub.close()
    await start([proNoCard])
    const paid = await create({ name: 'app', sdk: 'gradio', hardware: 't4-small' }, proNoCard.token)
    expectError(paid, 402, /Payment method required/)
    expect(
      (await create({ name: 'app', sdk: 'gradio', hardware: 'cpu-basic' }, proNoCard.token)).status
    ).toBe(200)
  })
})

describe('POST /api/spaces/{id}/duplicate', () => {
  beforeEach(() => {
    hub.addSpace({
      id: 'acme/source',
      hardware: 't4-small',
      secrets: [{ key: 'TOKEN', value: 'hidden' }],
      variables: [{ key: 'MODEL', value: 'gpt2', description: 'the model' }]
    })
  })

  it('copies sdk, files and variables but not secrets, and starts on cpu-basic', async () => {
    const result = await duplicate('acme/source', { repository: 'acme/copy' })
    expect(result.status).toBe(200)
    expect(result.text).toBe('{"url":"https://huggingface.co/spaces/acme/copy"}')
    const view = hub.space('acme/copy')!
    expect(view.sdk).toBe('gradio')
    expect(view.runtime).toMatchObject({
      stage: 'BUILDING',
      hardware: { current: null, requested: 'cpu-basic' },
      gcTimeout: 172800
    })
    expect(view.variables).toEqual({
      MODEL: { value: 'gpt2', description: 'the model', updatedAt: '2026-01-01T00:00:00.000Z' }
    })
    expect(view.secrets).toEqual({})
    clock.advance(1500)
    expect((await runtimeOf(hub.url, 'acme/copy')).stage).toBe('RUNNING')
  })

  it('applies hardware, sleep time, secrets, variables and visibility from the body', async () => {
    const result = await duplicate('acme/source', {
      repository: 'acme/copy',
      visibility: 'private',
      hardware: 'a10g-small',
      sleepTimeSeconds: 123,
      secrets: [{ key: 'Testsecret', value: 'Testvalue', description: 'Testdescription' }],
      variables: [{ key: 'MODEL', value: 'bert' }]
    })
    expect(result.status).toBe(200)
    const view = hub.space('acme/copy')!
    expect(view.runtime).toMatchObject({ hardware: { requested: 'a10g-small' }, gcTimeout: 123 })
    expect(view.private).toBe(true)
    expect(Object.keys(view.secrets)).toEqual(['Testsecret'])
    expect(hub.secretValue('acme/copy', 'Testsecret')).toBe('Testvalue')
    expect(view.variables.MODEL).toEqual({
      value: 'bert',
      description: 'the model',
      updatedAt: expect.any(String)
    })
  })

  it('inherits the paused state and the visibility of the source', async () => {
    hub.addSpace({ id: 'acme/sleepy', private: true, stage: 'PAUSED' })
    expect((await duplicate('acme/sleepy', { repository: 'acme-org/copy' })).status).toBe(200)
    const view = hub.space('acme-org/copy')!
    expect(view.runtime).toMatchObject({
      stage: 'PAUSED',
      hardware: { current: null, requested: 'cpu-basic' }
    })
    expect(view.private).toBe(true)
  })

  it('treats hardware "" as none, and ignores storageTier with a warning', async () => {
    const result = await duplicate('acme/source', {
      repository: 'acme/copy',
      hardware: '',
      storageTier: 'large'
    })
    expect(result.status).toBe(200)
    expect(result.headers.get('x-hf-warning')).toMatch(/^storage; /)
    expect(hub.space('acme/copy')?.runtime.hardware).toEqual({ current: null, requested: 'cpu-basic' })
  })

  it('answers 409 with {error, url} when the target exists', async () => {
    hub.addSpace({ id: 'acme/copy' })
    const result = await duplicate('acme/source', { repository: 'acme/copy' })
    expect(result.status).toBe(409)
    expect(result.text).toBe(
      '{"error":"You already created this space repo","url":"https://huggingface.co/spaces/acme/copy"}'
    )
    expect(result.headers.get('x-error-code')).toBeNull()
  })

  it('answers 404 RepoNotFound when the source is missing or hidden', async () => {
    hub.addSpace({ id: 'acme/hidden', private: true })
    for (const [from, token] of [
      ['acme/missing', TOKENS.acme],
      ['acme/hidden', TOKENS.outsider]
    ] as const) {
      const result = await duplicate(from, { repository: 'outsider/copy' }, token)
      expectError(result, 404, 'Repository not found')
      expect(result.headers.get('x-error-code')).toBe('RepoNotFound')
    }
  })

  it('answers 403 outside the target namespace, and 402 without a subscription', async () => {
    const foreign = await duplicate('acme/source', { repository: 'acme/copy' }, TOKENS.outsider)
    expectError(foreign, 403, 'You don\'t have the rights to create a space under the namespace "acme"')
    expectError(await duplicate('acme/source', { repository: 'outsider/copy' }, TOKENS.outsider), 402)
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    expect((await duplicate('acme/site', { repository: 'outsider/site' }, TOKENS.outsider)).status).toBe(200)
    expect(hub.space('outsider/site')?.runtime.stage).toBe('RUNNING')
  })

  it('checks hardware like create, without the zerogpu alias', async () => {
    expectError(await duplicate('acme/source', { repository: 'acme/a', hardware: 'zerogpu' }), 400)
    expectError(await duplicate('acme/source', { repository: 'acme/b', hardware: 'nope' }), 400)
    expect((await duplicate('acme/source', { repository: 'acme/c', hardware: 'zero-a10g' })).status).toBe(200)
  })

  it.each([
    ['no repository', {}],
    ['a repository without namespace', { repository: 'copy' }],
    ['an invalid name', { repository: 'acme/co--py' }]
  ])('answers 400 to %s', async (_what, body) => {
    expectError(await duplicate('acme/source', body), 400)
  })

  it('requires a token', async () => {
    const result = await call(hub.url, 'POST', '/api/spaces/acme/source/duplicate', {
      body: { repository: 'acme/copy' }
    })
    expect(result.status).toBe(401)
  })
})

describe('DELETE /api/repos/delete', () => {
  it('answers 200 text/plain OK and removes the Space', async () => {
    hub.addSpace({ id: 'acme/doomed' })
    const result = await remove('doomed', 'acme')
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(result.text).toBe('OK')
    expect(result.headers.get('etag')).toMatch(/^W\/"2-[A-Za-z0-9+/]{27}"$/)
    expect(hub.space('acme/doomed')).toBeUndefined()
    expect((await call(hub.url, 'GET', '/api/spaces/acme/doomed', { token: TOKENS.acme })).status).toBe(404)
  })

  it('takes the caller namespace when organization is null', async () => {
    hub.addSpace({ id: 'acme/mine' })
    expect((await remove('mine', null)).status).toBe(200)
  })

  it('answers 404 RepoNotFound for a missing Space', async () => {
    const result = await remove('ghost', 'acme')
    expectError(result, 404, 'Repository not found')
    expect(result.headers.get('x-error-code')).toBe('RepoNotFound')
  })

  it('answers 403 to non-owners and org members below admin, 401 without a token', async () => {
    hub.addSpace({ id: 'acme/public' })
    expect((await remove('public', 'acme', TOKENS.outsider)).status).toBe(403)
    expect((await remove('public', 'acme', TOKENS.reader)).status).toBe(403)
    expect((await remove('public', 'acme', null)).status).toBe(401)
    expect(hub.space('acme/public')).toBeDefined()

    const writer = customer('wes', { orgs: [{ name: 'acme-org', roleInOrg: 'write' }] })
    const admin = customer('ada', { orgs: [{ name: 'acme-org', roleInOrg: 'admin' }] })
    await hub.close()
    await start([writer, admin])
    hub.addSpace({ id: 'acme-org/tool', private: true })
    expect((await remove('tool', 'acme-org', writer.token)).status).toBe(403)
    expect((await remove('tool', 'acme-org', admin.token)).status).toBe(200)
  })

  it('answers 400 to other repo types', async () => {
    const result = await call(hub.url, 'DELETE', '/api/repos/delete', {
      token: TOKENS.acme,
      body: { name: 'gpt2', organization: 'acme', type: 'model' }
    })
    expectError(result, 400)
  })
})
