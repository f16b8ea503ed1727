/**
 * Keyless auth (contract §13): a stand-in for the GitHub Actions OIDC issuer, and the Hub's token exchange.
 *
 *   GET  /__oidc/token?api-version=2.0&audience=<aud>   Authorization: Bearer <request token>
 *        → {"count":1,"value":"<jwt>"}   (what ACTIONS_ID_TOKEN_REQUEST_URL answers; core.getIDToken appends
 *          `&audience=…` to the URL it is given, so the URL handed out already has a query)
 *   POST /oauth/token   {grant_type, subject_token_type, subject_token, resource: "spaces/<ns>/<name>"}
 *        → {"access_token":"hf_jwt_…","token_type":"bearer","expires_in":3600,"issued_token_type":…}
 *
 * The ID tokens are JWTs signed with HS256 and a key that lives only in this emulator instance, so the exchange
 * can tell its own tokens from forged or altered ones. The minted `hf_jwt_…` tokens act as writers of their one
 * Space for an hour of the emulator's clock.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { MintedGrant } from './auth.js'
import { ErrorReply, notFound, OAuthError, type Reply } from './http.js'
import type { Space } from './spaces.js'
import type { Account, Clock, OidcConfig, TrustedPublisher } from './types.js'

export const OIDC_PREFIX = '/__oidc'
export const OIDC_TOKEN_PATH = `${OIDC_PREFIX}/token`
export const OAUTH_PREFIX = '/oauth'
export const OAUTH_TOKEN_PATH = `${OAUTH_PREFIX}/token`
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const HUB_AUDIENCE = 'https://huggingface.co'
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token'
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
/** Lifetime of a minted hf_jwt_ token. */
export const MINTED_TOKEN_SECONDS = 3600
/** Default lifetime of an issued GitHub ID token. */
export const ID_TOKEN_SECONDS = 300

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

/** Issues and verifies the emulator's GitHub-style ID tokens. */
export class OidcIssuer {
  private readonly key = randomBytes(32)

  constructor(private readonly clock: Clock) {}

  /**
   * A JWT with the configured claims plus jti, sub, aud, iss, nbf, exp and iat (seconds, from the clock), in the
   * order GitHub writes them. A configured `iss`, `sub` or `aud` claim overrides the default (to test refusals).
   */
  issue(config: OidcConfig, audience: string): string {
    const iat = Math.floor(this.clock.now() / 1000)
    const { iss, ...claims } = config.claims
    const payload = {
      jti: randomUUID(),
      sub: `repo:${config.claims.repository}:ref:${config.claims.ref}`,
      aud: audience,
      ...claims,
      iss: typeof iss === 'string' ? iss : GITHUB_ISSUER,
      nbf: iat,
      exp: iat + (config.tokenLifetimeSeconds ?? ID_TOKEN_SECONDS),
      iat
    }
    const unsigned = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'hub-emulator' }))}.${base64url(JSON.stringify(payload))}`
    return `${unsigned}.${this.sign(unsigned)}`
  }

  /** The claims of a token this issuer signed, or the reason it is not acceptable (issuer, time). */
  verify(jwt: string): Record<string, unknown> | string {
    const parts = jwt.split('.')
    if (parts.length !== 3) return 'The subject token is not a JWT'
    const [header, payload, signature] = parts as [string, string, string]
    const expected = Buffer.from(this.sign(`${header}.${payload}`))
    const given = Buffer.from(signature)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return 'The subject token signature could not be verified'
    }
    let claims: unknown
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return 'The subject token payload is not JSON'
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      return 'The subject token payload is not a JSON object'
    }
    const c = claims as Record<string, unknown>
    const now = Math.floor(this.clock.now() / 1000)
    if (c.iss !== GITHUB_ISSUER) return `Untrusted issuer ${JSON.stringify(c.iss ?? null)}`
    if (typeof c.exp !== 'number' || c.exp <= now) return 'The subject token has expired'
    if (typeof c.nbf === 'number' && c.nbf > now) return 'The subject token is not valid yet'
    return c
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url')
  }
}

/** The minted hf_jwt_ tokens. */
export class TokenStore {
  private readonly grants = new Map<string, MintedGrant>()

  constructor(private readonly clock: Clock) {}

  mint(grant: Omit<MintedGrant, 'token' | 'expiresAt'>): MintedGrant {
    const token = `hf_jwt_${randomBytes(24).toString('hex')}`
    const minted: MintedGrant = {
      ...grant,
      token,
      expiresAt: this.clock.now() + MINTED_TOKEN_SECONDS * 1000
    }
    this.grants.set(token, minted)
    return minted
  }

  /** A live grant; undefined for unknown and expired tokens. */
  lookup(token: string): MintedGrant | undefined {
    const grant = this.grants.get(token)
    return grant !== undefined && this.clock.now() < grant.expiresAt ? grant : undefined
  }
}

/**
 * `GET /__oidc/token`: the runner's ID-token endpoint. Without `audience`, GitHub's default audience (the URL of
 * the repository owner) is used. A wrong or missing request token → 401.
 */
export function handleOidcIssuer(
  method: string,
  url: URL,
  authorization: string | undefined,
  config: OidcConfig,
  issuer: OidcIssuer
): Reply {
  if (url.pathname !== OIDC_TOKEN_PATH || method !== 'GET') throw notFound()
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization?.trim() ?? '')
  if (match?.[1] !== config.requestToken) {
    throw new ErrorReply(401, 'Bad credentials: invalid ACTIONS_ID_TOKEN_REQUEST_TOKEN')
  }
  const owner = config.claims.repository.split('/')[0] ?? ''
  const audience = url.searchParams.get('audience') ?? `https://github.com/${owner}`
  return { status: 200, json: { count: 1, value: issuer.issue(config, audience) } }
}

export interface ExchangeContext {
  issuer: OidcIssuer
  tokens: TokenStore
  spaces: ReadonlyMap<string, Space>
  accounts: readonly Account[]
  /** The emulator's own origin, accepted as an audience next to https://huggingface.co. */
  origin: string
}

/** The request fields of a token exchange, from JSON or from an HTML form body. */
function parseExchangeBody(body: string, contentType: string | undefined): Record<string, unknown> {
  if (/application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    return Object.fromEntries(new URLSearchParams(body))
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new OAuthError('invalid_request', 'The request body must be a JSON object')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OAuthError('invalid_request', 'The request body must be a JSON object')
  }
  return parsed as Record<string, unknown>
}

/** The file name of the workflow in a `workflow_ref` claim (`o/r/.github/workflows/ci.yml@refs/…` → `ci.yml`). */
export function workflowFile(workflowRef: unknown): string | undefined {
  if (typeof workflowRef !== 'string') return undefined
  return (workflowRef.split('@')[0] ?? '').split('/').pop()
}

export function publisherMatches(publisher: TrustedPublisher, claims: Record<string, unknown>): boolean {
  if (claims.repository !== publisher.repository) return false
  if (publisher.workflow !== undefined && workflowFile(claims.workflow_ref) !== publisher.workflow)
    return false
  if (publisher.branch !== undefined && claims.ref !== `refs/heads/${publisher.branch}`) return false
  return true
}

/** `POST /oauth/token`: exchanges an ID token of a trusted publisher for a token on one Space. */
export function handleTokenExchange(
  method: string,
  url: URL,
  body: string,
  contentType: string | undefined,
  ctx: ExchangeContext
): Reply {
  if (url.pathname !== OAUTH_TOKEN_PATH || method !== 'POST') throw notFound()
  const request = parseExchangeBody(body, contentType)
  const { grant_type, subject_token_type, subject_token, resource } = request
  if (grant_type !== TOKEN_EXCHANGE_GRANT) {
    throw new OAuthError(
      'invalid_request',
      `Unsupported grant_type ${JSON.stringify(grant_type ?? null)}: expected ${TOKEN_EXCHANGE_GRANT}`
    )
  }
  if (subject_token_type !== ID_TOKEN_TYPE) {
    throw new OAuthError(
      'invalid_request',
      `Unsupported subject_token_type ${JSON.stringify(subject_token_type ?? null)}: expected ${ID_TOKEN_TYPE}`
    )
  }
  if (typeof subject_token !== 'string' || subject_token === '') {
    throw new OAuthError('invalid_request', 'Missing subject_token')
  }
  const target = typeof resource === 'string' ? /^spaces\/([^/]+)\/([^/]+)$/.exec(resource) : null
  if (!target) {
    throw new OAuthError(
      'invalid_request',
      'Missing or invalid resource: expected "spaces/<namespace>/<name>"'
    )
  }
  const spaceId = `${target[1]}/${target[2]}`
  const verified = ctx.issuer.verify(subject_token)
  if (typeof verified === 'string') throw new OAuthError('invalid_grant', verified)
  const audiences = Array.isArray(verified.aud) ? (verified.aud as unknown[]) : [verified.aud]
  if (!audiences.some(aud => aud === HUB_AUDIENCE || aud === ctx.origin)) {
    throw new OAuthError(
      'invalid_grant',
      `The subject token audience ${JSON.stringify(verified.aud ?? null)} is not ${HUB_AUDIENCE}`
    )
  }
  const space = ctx.spaces.get(spaceId)
  if (space === undefined || !space.trustedPublishers.some(p => publisherMatches(p, verified))) {
    // The same answer for a missing Space, so that the endpoint does not reveal which Spaces exist.
    throw new OAuthError(
      'invalid_grant',
      `No trusted publisher of spaces/${spaceId} matches repository ${JSON.stringify(verified.repository ?? null)}, workflow ${JSON.stringify(workflowFile(verified.workflow_ref) ?? null)}, ref ${JSON.stringify(verified.ref ?? null)}`
    )
  }
  const grant = ctx.tokens.mint({
    spaceId,
    namespace: space.namespace,
    owner: ctx.accounts.find(a => a.name === space.namespace),
    claims: verified
  })
  return {
    status: 200,
    json: {
      access_token: grant.token,
      token_type: 'bearer',
      expires_in: MINTED_TOKEN_SECONDS,
      issued_token_type: ACCESS_TOKEN_TYPE
    }
  }
}
