/** Keyless auth: the GitHub OIDC issuer stand-in, POST /oauth/token, and what the minted token may do. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_OIDC, FakeClock, startEmulator, type Emulator, type TrustedPublisher } from '../src/index.js'
import { call, jwtClaims, obj, TOKENS, type CallResult } from './helpers.js'

const SPACE = 'acme/eval-app'
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'

let clock: FakeClock
let hub: Emulator

async function start(publishers: TrustedPublisher[] = [{ repository: 'acme/ci' }]) {
  hub = await startEmulator({ clock })
  hub.addSpace({ id: SPACE, trustedPublishers: publishers })
}

beforeEach(async () => {
  clock = new FakeClock()
  await start()
})

afterEach(async () => {
  await hub.close()
})

/** What @actions/core getIDToken does: GET `${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=<aud>` with the request token. */
function requestIdToken(audience?: string, requestToken: string | null = DEFAULT_OIDC.requestToken) {
  const url =
    audience === undefined
      ? hub.oidcRequestUrl
      : `${hub.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`
  return call(url, 'GET', '', requestToken === null ? {} : { token: requestToken })
}

async function idToken(audience = 'https://huggingface.co'): Promise<string> {
  const answer = await requestIdToken(audience)
  expect(answer.status).toBe(200)
  return obj(answer).value as string
}

function exchange(body: unknown, headers?: Record<string, string>) {
  return call(hub.url, 'POST', '/oauth/token', { body, ...(headers ? { headers } : {}) })
}

function exchangeBody(subjectToken: string, resource = `spaces/${SPACE}`) {
  return { grant_type: GRANT, subject_token_type: ID_TOKEN, subject_token: subjectToken, resource }
}

async function mint(): Promise<string> {
  const answer = await exchange(exchangeBody(await idToken()))
  expect(answer.status).toBe(200)
  return obj(answer).access_token as string
}

function expectOAuthError(
  result: CallResult,
  error: 'invalid_request' | 'invalid_grant',
  description?: RegExp
) {
  expect(result.status).toBe(400)
  expect(Object.keys(obj(result))).toEqual(['error', 'error_description'])
  expect(obj(result).error).toBe(error)
  if (description) expect(obj(result).error_description).toMatch(description)
}

describe('the OIDC issuer stand-in', () => {
  it('hands out a request URL that already has a query', () => {
    expect(hub.oidcRequestUrl).toBe(`${hub.url}/__oidc/token?api-version=2.0`)
    expect(hub.oidc.requestToken).toBe('gh_oidc_request_token_0123456789')
  })

  it('answers {"count":1,"value":<jwt>} with the configured claims', async () => {
    clock.advance(5_000)
    const answer = await requestIdToken('https://huggingface.co')
    expect(answer.status).toBe(200)
    expect(Object.keys(obj(answer))).toEqual(['count', 'value'])
    expect(obj(answer).count).toBe(1)
    const jwt = obj(answer).value as string
    expect(jwt.split('.')).toHaveLength(3)
    const iat = Date.parse('2026-01-01T00:00:05Z') / 1000
    expect(jwtClaims(jwt)).toEqual({
      jti: expect.any(String),
      sub: 'repo:acme/ci:ref:refs/heads/main',
      aud: 'https://huggingface.co',
      repository: 'acme/ci',
      ref: 'refs/heads/main',
      workflow_ref: 'acme/ci/.github/workflows/ci.yml@refs/heads/main',
      iss: 'https://token.actions.githubusercontent.com',
      nbf: iat,
      exp: iat + 300,
      iat
    })
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'JWT' })
  })

  it("defaults the audience to the repository owner's URL, as GitHub does", async () => {
    expect(jwtClaims(obj(await requestIdToken()).value as string).aud).toBe('https://github.com/acme')
  })

  it('answers 401 to a wrong or missing request token', async () => {
    expect((await requestIdToken('https://huggingface.co', 'gh_wrong')).status).toBe(401)
    expect((await requestIdToken('https://huggingface.co', null)).status).toBe(401)
    expect((await requestIdToken('https://huggingface.co', TOKENS.acme)).status).toBe(401)
  })

  it('uses the claims set in process at request time', async () => {
    hub.oidc = {
      requestToken: 'gh_other',
      claims: { repository: 'acme/web', ref: 'refs/tags/v1', actor: 'ada' }
    }
    expect((await requestIdToken(undefined, DEFAULT_OIDC.requestToken)).status).toBe(401)
    const answer = await requestIdToken('https://huggingface.co', 'gh_other')
    expect(jwtClaims(obj(answer).value as string)).toMatchObject({
      repository: 'acme/web',
      ref: 'refs/tags/v1',
      actor: 'ada',
      sub: 'repo:acme/web:ref:refs/tags/v1'
    })
  })

  it('records its requests in the request log', async () => {
    await idToken()
    await mint()
    const log = hub.requests().map(r => [r.method, r.path, r.status, r.query.audience ?? null])
    expect(log).toEqual([
      ['GET', '/__oidc/token', 200, 'https://huggingface.co'],
      ['GET', '/__oidc/token', 200, 'https://huggingface.co'],
      ['POST', '/oauth/token', 200, null]
    ])
    expect(hub.requests()[0]?.query['api-version']).toBe('2.0')
    // The log keeps what was answered, so tests can find the minted token and prove it was never printed.
    const exchanged = hub.requests()[2]!
    expect(JSON.parse(exchanged.responseBody ?? '{}')).toMatchObject({
      access_token: expect.stringMatching(/^hf_jwt_/)
    })
  })

  it('is configurable through the control API', async () => {
    const before = await call(hub.url, 'GET', '/__emulator/oidc')
    expect(obj(before)).toMatchObject({
      requestToken: DEFAULT_OIDC.requestToken,
      requestUrl: hub.oidcRequestUrl
    })
    const put = await call(hub.url, 'PUT', '/__emulator/oidc', {
      body: { claims: { repository: 'acme/other', ref: 'refs/heads/dev' } }
    })
    expect(put.status).toBe(200)
    expect(hub.oidc.claims).toEqual({ repository: 'acme/other', ref: 'refs/heads/dev' })
    expect(hub.oidc.requestToken).toBe(DEFAULT_OIDC.requestToken)
    const bad = await call(hub.url, 'PUT', '/__emulator/oidc', { body: { claims: { ref: 'x' } } })
    expect(bad.status).toBe(400)
    expect(hub.requests()).toEqual([])
  })
})

describe('POST /oauth/token', () => {
  it('exchanges an ID token of a trusted publisher for an hf_jwt_ token', async () => {
    const answer = await exchange(exchangeBody(await idToken()))
    expect(answer.status).toBe(200)
    expect(Object.keys(obj(answer))).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'issued_token_type'
    ])
    expect(obj(answer)).toEqual({
      access_token: expect.stringMatching(/^hf_jwt_[0-9a-f]{48}$/),
      token_type: 'bearer',
      expires_in: 3600,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token'
    })
    expect(answer.headers.get('x-request-id')).toMatch(/^Root=1-/)
  })

  it("accepts the emulator's own origin as audience, and a form-encoded body", async () => {
    const own = await exchange(exchangeBody(await idToken(hub.url)))
    expect(own.status).toBe(200)
    const form = new URLSearchParams(exchangeBody(await idToken())).toString()
    const answer = await exchange(form, { 'Content-Type': 'application/x-www-form-urlencoded' })
    expect(answer.status).toBe(200)
  })

  it.each([
    ['malformed JSON', '{"grant_type":', /JSON/],
    ['a JSON array', '[]', /JSON/],
    ['a wrong grant type', { ...exchangeBody('x'), grant_type: 'client_credentials' }, /grant_type/],
    ['a missing grant type', { ...exchangeBody('x'), grant_type: undefined }, /grant_type/],
    [
      'a wrong subject token type',
      { ...exchangeBody('x'), subject_token_type: 'urn:x' },
      /subject_token_type/
    ],
    ['a missing subject token', { ...exchangeBody(''), subject_token: undefined }, /subject_token/],
    ['a missing resource', { ...exchangeBody('x'), resource: undefined }, /resource/],
    ['a model resource', exchangeBody('x', 'models/acme/bert'), /resource/],
    ['a resource without name', exchangeBody('x', 'spaces/acme'), /resource/]
  ])('answers 400 invalid_request to %s', async (_what, body, description) => {
    expectOAuthError(await exchange(body), 'invalid_request', description)
  })

  it('answers 400 invalid_grant to a token it did not issue or that was altered', async () => {
    expectOAuthError(await exchange(exchangeBody('not-a-jwt')), 'invalid_grant', /not a JWT/)
    const [header, payload, signature] = (await idToken()).split('.') as [string, string, string]
    const claims = { ...jwtClaims(`x.${payload}.x`), repository: 'evil/ci' }
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
    expectOAuthError(await exchange(exchangeBody(forged)), 'invalid_grant', /signature/)
    expectOAuthError(await exchange(exchangeBody(`${header}.${payload}.`)), 'invalid_grant', /signature/)
  })

  it('answers 400 invalid_grant to an expired token, and to a wrong issuer or audience', async () => {
    const jwt = await idToken()
    clock.advance(299_000)
    expect((await exchange(exchangeBody(jwt))).status).toBe(200)
    clock.advance(1_000)
    expectOAuthError(await exchange(exchangeBody(jwt)), 'invalid_grant', /expired/)

    expectOAuthError(
      await exchange(exchangeBody(await idToken('https://example.com'))),
      'invalid_grant',
      /audience/
    )
    hub.oidc = { ...hub.oidc, claims: { ...hub.oidc.claims, iss: 'https://evil.example' } }
    expectOAuthError(await exchange(exchangeBody(await idToken())), 'invalid_grant', /issuer/)
  })

  it('answers 400 invalid_grant for a missing Space and a Space without a matching publisher', async () => {
    const jwt = await idToken()
    hub.addSpace({ id: 'acme/no-publisher' })
    for (const resource of ['spaces/acme/missing', 'spaces/acme/no-publisher']) {
      expectOAuthError(await exchange(exchangeBody(jwt, resource)), 'invalid_grant', /No trusted publisher/)
    }
  })

  it.each<[string, TrustedPublisher, boolean]>([
    ['repository only', { repository: 'acme/ci' }, true],
    ['repository, workflow and branch', { repository: 'acme/ci', workflow: 'ci.yml', branch: 'main' }, true],
    ['another repository', { repository: 'acme/other' }, false],
    ['a repository that differs in case', { repository: 'Acme/CI' }, false],
    ['another workflow', { repository: 'acme/ci', workflow: 'deploy.yml' }, false],
    ['another branch', { repository: 'acme/ci', branch: 'release' }, false]
  ])('matches a publisher with %s: %s', async (_what, publisher, ok) => {
    hub.updateSpace(SPACE, { trustedPublishers: [publisher] })
    const answer = await exchange(exchangeBody(await idToken()))
    if (ok) expect(answer.status).toBe(200)
    else expectOAuthError(answer, 'invalid_grant', /No trusted publisher/)
  })

  it('needs workflow_ref when the publisher names a workflow, and a branch ref when it names a branch', async () => {
    hub.updateSpace(SPACE, { trustedPublishers: [{ repository: 'acme/ci', workflow: 'ci.yml' }] })
    hub.oidc = { ...hub.oidc, claims: { repository: 'acme/ci', ref: 'refs/heads/main' } }
    expectOAuthError(await exchange(exchangeBody(await idToken())), 'invalid_grant')
    hub.updateSpace(SPACE, { trustedPublishers: [{ repository: 'acme/ci', branch: 'v1' }] })
    hub.oidc = { ...hub.oidc, claims: { repository: 'acme/ci', ref: 'refs/tags/v1' } }
    expectOAuthError(await exchange(exchangeBody(await idToken())), 'invalid_grant')
  })

  it('can be faulted like the API', async () => {
    hub.fault({ path: '/oauth/token', kind: 'status', status: 503 })
    expect((await exchange(exchangeBody(await idToken()))).status).toBe(503)
    expect((await exchange(exchangeBody(await idToken()))).status).toBe(200)
  })
})

describe('the minted token', () => {
  it('writes to its Space: hardware, pause, restart, secrets, variables, volumes, logs', async () => {
    const token = await mint()
    const on = (method: string, what: string, body?: unknown) =>
      call(hub.url, method, `/api/spaces/${SPACE}/${what}`, { token, body })
    expect((await on('POST', 'secrets', { key: 'K', value: 'v' })).status).toBe(200)
    expect((await on('POST', 'variables', { key: 'V', value: 'v' })).status).toBe(200)
    expect((await on('GET', 'secrets')).status).toBe(200)
    expect((await on('GET', 'logs/run')).status).toBe(200)
    expect(
      (await on('PUT', 'volumes', { volumes: [{ type: 'bucket', source: 'acme/b', mountPath: '/b' }] }))
        .status
    ).toBe(200)
    expect((await on('POST', 'sleeptime', { seconds: 3600 })).status).toBe(200)
    // It pays as the owner account (acme can pay).
    expect((await on('POST', 'hardware', { flavor: 't4-small' })).status).toBe(200)
    expect((await on('POST', 'pause')).status).toBe(200)
    expect((await on('POST', 'restart')).status).toBe(200)
    expect((await on('GET', 'runtime')).status).toBe(200)
    expect(hub.secretValue(SPACE, 'K')).toBe('v')
  })

  it('reads its Space even when private', async () => {
    hub.updateSpace(SPACE, { private: true })
    const token = await mint()
    expect((await call(hub.url, 'GET', `/api/spaces/${SPACE}`, { token })).status).toBe(200)
  })

  it('cannot touch other Spaces, create, duplicate or delete', async () => {
    hub.addSpace({ id: 'acme/other' })
    hub.addSpace({ id: 'acme/private', private: true })
    const token = await mint()
    const pause = await call(hub.url, 'POST', '/api/spaces/acme/other/pause', { token })
    expect(pause.status).toBe(403)
    expect(obj(pause).error).toBe(`This token can only access spaces/${SPACE}`)
    expect((await call(hub.url, 'GET', '/api/spaces/acme/other/runtime', { token })).status).toBe(200)
    expect((await call(hub.url, 'GET', '/api/spaces/acme/private/runtime', { token })).status).toBe(404)

    const create = await call(hub.url, 'POST', '/api/repos/create', {
      token,
      body: { name: 'new', organization: 'acme', type: 'space', sdk: 'static' }
    })
    expect([create.status, obj(create).error]).toEqual([403, 'This token cannot create repositories'])
    const dup = await call(hub.url, 'POST', `/api/spaces/${SPACE}/duplicate`, {
      token,
      body: { repository: 'acme/copy' }
    })
    expect([dup.status, obj(dup).error]).toEqual([403, 'This token cannot create repositories'])
    const del = await call(hub.url, 'DELETE', '/api/repos/delete', {
      token,
      body: { name: 'eval-app', organization: 'acme', type: 'space' }
    })
    expect(del.status).toBe(403)
    expect(hub.space(SPACE)).toBeDefined()
    expect(hub.space('acme/new')).toBeUndefined()
  })

  it('answers whoami-v2 as the owner with an oauth auth block', async () => {
    const token = await mint()
    const answer = await call(hub.url, 'GET', '/api/whoami-v2', { token })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      type: 'user',
      name: 'acme',
      canPay: true,
      isPro: true,
      orgs: [],
      auth: { type: 'oauth', expiresAt: '2026-01-01T01:00:00.000Z', resource: { sub: `spaces/${SPACE}` } }
    })
    const classic = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: TOKENS.acme }))
    expect(Object.keys(obj(answer))).toEqual(Object.keys(classic))
  })

  it('expires after an hour of the emulator clock', async () => {
    const token = await mint()
    clock.advance(3_599_999)
    expect((await call(hub.url, 'POST', `/api/spaces/${SPACE}/pause`, { token })).status).toBe(200)
    clock.advance(1)
    const expired = await call(hub.url, 'POST', `/api/spaces/${SPACE}/restart`, { token })
    expect([expired.status, expired.json]).toEqual([401, { error: 'Invalid username or password.' }])
    expect((await call(hub.url, 'GET', '/api/whoami-v2', { token })).status).toBe(401)
  })

  it('has a rate-limit bucket of its own', async () => {
    const token = await mint()
    const answer = await call(hub.url, 'GET', `/api/spaces/${SPACE}/runtime`, { token })
    expect(answer.headers.get('ratelimit')).toBe('"api";r=999;t=300')
  })
})
