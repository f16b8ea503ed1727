/** Authentication, authorisation, rate limiting and the headers on every answer. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNTS, FakeClock, startEmulator, type Account, type Emulator } from '../src/index.js'
import { call, obj, TOKENS } from './helpers.js'

const INVALID = 'Invalid username or password.'

let clock: FakeClock
let hub: Emulator

async function start(
  options: { accounts?: Account[]; rateLimit?: { quota: number; windowSeconds: number } } = {}
) {
  hub = await startEmulator({ clock, ...options })
  hub.addSpace({ id: 'acme/public' })
  hub.addSpace({ id: 'acme/secret', private: true })
  hub.addSpace({ id: 'acme-org/team-app', private: true })
}

beforeEach(() => {
  clock = new FakeClock()
})

afterEach(async () => {
  await hub.close()
})

function expectInvalidCredentials(result: Awaited<ReturnType<typeof call>>) {
  expect(result.status).toBe(401)
  expect(result.json).toEqual({ error: INVALID })
  expect(result.headers.get('x-error-message')).toBe(INVALID)
}

function expectRepoNotFound(result: Awaited<ReturnType<typeof call>>) {
  expect(result.status).toBe(404)
  expect(result.json).toEqual({ error: 'Repository not found' })
  expect(result.headers.get('x-error-code')).toBe('RepoNotFound')
  expect(result.headers.get('x-error-message')).toBe('Repository not found')
}

describe('tokens', () => {
  beforeEach(() => start())

  it.each([
    ['GET', '/api/spaces/acme/public/runtime'],
    ['GET', '/api/spaces/acme/public'],
    ['GET', '/api/spaces/hardware'],
    ['GET', '/api/whoami-v2'],
    ['POST', '/api/spaces/acme/public/pause'],
    ['GET', '/api/spaces/acme/public/logs/run'],
    ['GET', '/api/nothing-here']
  ])('refuses an unknown token on %s %s', async (method, path) => {
    expectInvalidCredentials(await call(hub.url, method, path, { token: 'hf_not_a_real_token' }))
  })

  it('refuses a malformed Authorization header', async () => {
    const result = await call(hub.url, 'GET', '/api/spaces/acme/public/runtime', {
      headers: { Authorization: `token ${TOKENS.acme}` }
    })
    expectInvalidCredentials(result)
  })

  it.each(['pause', 'restart', 'hardware', 'sleeptime'])('requires a token for POST %s', async action => {
    const result = await call(hub.url, 'POST', `/api/spaces/acme/public/${action}`, {
      body: { flavor: 'cpu-basic' }
    })
    expectInvalidCredentials(result)
  })

  it('serves public reads and the hardware catalogue anonymously', async () => {
    expect((await call(hub.url, 'GET', '/api/spaces/acme/public/runtime')).status).toBe(200)
    expect((await call(hub.url, 'GET', '/api/spaces/acme/public')).status).toBe(200)
    const catalogue = await call(hub.url, 'GET', '/api/spaces/hardware')
    expect(catalogue.status).toBe(200)
    expect((catalogue.json as { name: string }[]).map(f => f.name)).toContain('cpu-basic')
  })
})

describe('visibility', () => {
  beforeEach(() => start())

  it('answers 401 to anonymous reads of private and missing Spaces', async () => {
    for (const path of ['/api/spaces/acme/secret/runtime', '/api/spaces/acme/missing/runtime']) {
      const result = await call(hub.url, 'GET', path)
      expectInvalidCredentials(result)
      expect(result.headers.get('x-error-code')).toBe('RepoNotFound')
    }
  })

  it('answers 404 RepoNotFound to signed-in callers who cannot see the Space', async () => {
    expectRepoNotFound(
      await call(hub.url, 'GET', '/api/spaces/acme/secret/runtime', { token: TOKENS.outsider })
    )
    expectRepoNotFound(await call(hub.url, 'GET', '/api/spaces/acme/missing/runtime', { token: TOKENS.acme }))
    expectRepoNotFound(await call(hub.url, 'GET', '/api/spaces/acme/missing', { token: TOKENS.acme }))
    expectRepoNotFound(await call(hub.url, 'POST', '/api/spaces/acme/missing/pause', { token: TOKENS.acme }))
    expectRepoNotFound(
      await call(hub.url, 'POST', '/api/spaces/acme/secret/pause', { token: TOKENS.outsider })
    )
  })

  it('lets the owner and org members read private Spaces', async () => {
    expect(
      (await call(hub.url, 'GET', '/api/spaces/acme/secret/runtime', { token: TOKENS.acme })).status
    ).toBe(200)
    const org = await call(hub.url, 'GET', '/api/spaces/acme-org/team-app', { token: TOKENS.acme })
    expect(org.status).toBe(200)
    expect(obj(org).private).toBe(true)
  })
})

describe('write rights', () => {
  it('answers 403 to a writer of another namespace', async () => {
    await start()
    const result = await call(hub.url, 'POST', '/api/spaces/acme/public/pause', { token: TOKENS.outsider })
    expect(result.status).toBe(403)
    expect(obj(result).error).toMatch(/^You don't have the rights to modify this Space/)
    expect(result.headers.get('x-error-message')).toBe(obj(result).error)
    expect(hub.space('acme/public')?.runtime.stage).toBe('RUNNING')
  })

  it('answers 403 to a read-role token, even its owner', async () => {
    const ownerRead: Account = { name: 'acme', token: 'hf_emulator_acme_read_0123456789', role: 'read' }
    await start({ accounts: [...DEFAULT_ACCOUNTS.filter(a => a.name !== 'acme'), ownerRead] })
    for (const token of [TOKENS.reader, ownerRead.token]) {
      const result = await call(hub.url, 'POST', '/api/spaces/acme/public/restart', { token })
      expect(result.status).toBe(403)
      expect(obj(result).error).toMatch(/read role/)
    }
  })

  it('follows org roles: admin and write may modify, contributor and read may not', async () => {
    const member = (name: string, roleInOrg: 'admin' | 'write' | 'contributor' | 'read'): Account => ({
      name,
      token: `hf_emulator_${name}_0123456789`,
      role: 'write',
      orgs: [{ name: 'acme-org', roleInOrg }]
    })
    const accounts = [
      member('ada', 'admin'),
      member('wes', 'write'),
      member('cy', 'contributor'),
      member('rae', 'read')
    ]
    await start({ accounts })
    const expected: Record<string, number> = { ada: 200, wes: 200, cy: 403, rae: 403 }
    for (const account of accounts) {
      const result = await call(hub.url, 'POST', '/api/spaces/acme-org/team-app/pause', {
        token: account.token
      })
      expect([account.name, result.status]).toEqual([account.name, expected[account.name]])
    }
  })

  it('treats fine-grained tokens like write tokens', async () => {
    const fine: Account = { name: 'acme', token: 'hf_emulator_acme_fine_0123456789', role: 'fineGrained' }
    await start({ accounts: [fine] })
    const result = await call(hub.url, 'POST', '/api/spaces/acme/public/pause', { token: fine.token })
    expect(result.status).toBe(200)
  })

  it('restricts logs to the owner and writers, read-role tokens of the owner included', async () => {
    const ownerRead: Account = { name: 'acme', token: 'hf_emulator_acme_read_0123456789', role: 'read' }
    await start({ accounts: [...DEFAULT_ACCOUNTS, ownerRead] })
    const path = '/api/spaces/acme/public/logs/build'
    expectInvalidCredentials(await call(hub.url, 'GET', path))
    expect((await call(hub.url, 'GET', path, { token: TOKENS.outsider })).status).toBe(403)
    expect((await call(hub.url, 'GET', path, { token: TOKENS.reader })).status).toBe(403)
    expect((await call(hub.url, 'GET', path, { token: TOKENS.acme })).status).toBe(200)
    expect((await call(hub.url, 'GET', path, { token: ownerRead.token })).status).toBe(200)
  })
})

describe('whoami-v2', () => {
  beforeEach(() => start())

  it('describes the token and its account', async () => {
    const result = await call(hub.url, 'GET', '/api/whoami-v2', { token: TOKENS.acme })
    expect(result.status).toBe(200)
    expect(result.json).toMatchObject({
      type: 'user',
      name: 'acme',
      canPay: true,
      isPro: true,
      orgs: [{ type: 'org', name: 'acme-org', roleInOrg: 'admin' }],
      auth: { type: 'access_token', accessToken: { role: 'write' } }
    })
    const reader = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: TOKENS.reader }))
    expect(reader).toMatchObject({ name: 'reader', canPay: false, isPro: false, orgs: [] })
    expect((reader.auth as { accessToken: { role: string } }).accessToken.role).toBe('read')
  })

  it('answers 401 without a token', async () => {
    expectInvalidCredentials(await call(hub.url, 'GET', '/api/whoami-v2'))
  })
})

describe('unknown routes', () => {
  beforeEach(() => start())

  it.each([
    ['GET', '/api/models/gpt2'],
    ['GET', '/api/spaces/acme/public/unknown'],
    ['GET', '/api/spaces/acme/public/pause'],
    ['POST', '/api/spaces/acme/public/runtime'],
    ['GET', '/api/spaces/acme/public/logs/other'],
    ['GET', '/not-api']
  ])('answers 404 Not Found to %s %s', async (method, path) => {
    const result = await call(hub.url, method, path, { token: TOKENS.acme })
    expect(result.status).toBe(404)
    expect(result.json).toEqual({ error: 'Not Found' })
  })
})

describe('common headers', () => {
  beforeEach(() => start())

  it('puts a unique request id, X-Powered-By and the rate-limit headers on every answer', async () => {
    const answers = [
      await call(hub.url, 'GET', '/api/spaces/acme/public/runtime'),
      await call(hub.url, 'GET', '/api/spaces/acme/secret/runtime'),
      await call(hub.url, 'POST', '/api/spaces/acme/public/pause', { token: TOKENS.outsider }),
      await call(hub.url, 'GET', '/api/nope')
    ]
    const ids = new Set<string>()
    for (const answer of answers) {
      const id = answer.headers.get('x-request-id') ?? ''
      expect(id).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/)
      ids.add(id)
      expect(answer.headers.get('x-powered-by')).toBe('huggingface-moon')
      expect(answer.headers.get('access-control-expose-headers')).toContain('X-Error-Message')
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(answer.headers.get('ratelimit')).toMatch(/^"api";r=\d+;t=\d+$/)
      expect(answer.headers.get('ratelimit-policy')).toBe('"fixed window";"api";q=1000;w=300')
    }
    expect(ids.size).toBe(answers.length)
  })

  it("echoes the client's X-Amzn-Trace-Id in the request id, as the Hub does", async () => {
    const trace = '11a94de5-d46a-45c0-87bb-058605bd035e'
    const answer = await call(hub.url, 'GET', '/api/spaces/acme/public/runtime', {
      headers: { 'X-Amzn-Trace-Id': trace }
    })
    expect(answer.headers.get('x-request-id')).toMatch(
      new RegExp(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};${trace}$`)
    )
  })
})

describe('rate limiting', () => {
  beforeEach(() => start({ rateLimit: { quota: 3, windowSeconds: 60 } }))

  it('counts a fixed window per token and answers 429 past the quota', async () => {
    const path = '/api/spaces/acme/public/runtime'
    const seen: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const answer = await call(hub.url, 'GET', path, { token: TOKENS.acme })
      expect(answer.status).toBe(200)
      seen.push(answer.headers.get('ratelimit'))
      clock.advance(10_000)
    }
    expect(seen).toEqual(['"api";r=2;t=60', '"api";r=1;t=50', '"api";r=0;t=40'])

    const limited = await call(hub.url, 'GET', path, { token: TOKENS.acme })
    expect(limited.status).toBe(429)
    expect(obj(limited).error).toMatch(/^You have exceeded our rate limit/)
    expect(limited.headers.get('retry-after')).toBe('30')
    expect(limited.headers.get('ratelimit')).toBe('"api";r=0;t=30')
    expect(limited.headers.get('ratelimit-policy')).toBe('"fixed window";"api";q=3;w=60')

    // Other tokens and anonymous callers have their own buckets.
    expect((await call(hub.url, 'GET', path, { token: TOKENS.outsider })).status).toBe(200)
    expect((await call(hub.url, 'GET', path)).status).toBe(200)

    clock.advance(30_000)
    const fresh = await call(hub.url, 'GET', path, { token: TOKENS.acme })
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('ratelimit')).toBe('"api";r=2;t=60')
  })

  it('counts anonymous callers per address', async () => {
    for (let i = 0; i < 3; i++) await call(hub.url, 'GET', '/api/spaces/hardware')
    expect((await call(hub.url, 'GET', '/api/spaces/hardware')).status).toBe(429)
  })
})
