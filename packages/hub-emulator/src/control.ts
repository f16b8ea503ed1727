/**
 * Control endpoints under `/__emulator`, for the CLI, demos and tests in other processes. They need no token, are
 * not rate limited, and are not recorded in the request log.
 *
 *   GET    /__emulator/spaces               → SpaceView[]
 *   POST   /__emulator/spaces               SpaceSpec JSON → 201 SpaceView (409 if it exists)
 *   GET    /__emulator/spaces/{ns}/{name}   → SpaceView
 *   PATCH  /__emulator/spaces/{ns}/{name}   partial SpaceSpec JSON → 200 SpaceView
 *   POST   /__emulator/faults               FaultSpec JSON (a path starting with ^ is a regex) → 201
 *   DELETE /__emulator/faults               → 204
 *   GET    /__emulator/requests             → RecordedRequest[] (Authorization shown as "Bearer ***")
 *   DELETE /__emulator/requests             → 204
 *   GET    /__emulator/oidc                 → OidcConfig (the OIDC issuer stand-in) plus its requestUrl
 *   PUT    /__emulator/oidc                 partial OidcConfig JSON (claims are replaced whole) → 200 the same
 */
import { faultFromJson } from './faults.js'
import { parseJsonBody, UsageError, type Reply } from './http.js'
import type { FaultSpec, OidcConfig, RecordedRequest, SpaceSpec, SpaceView } from './types.js'

export const CONTROL_PREFIX = '/__emulator'

/** The part of the emulator the control routes drive. */
export interface ControlTarget {
  addSpace(spec: SpaceSpec): void
  updateSpace(id: string, patch: Partial<SpaceSpec>): void
  space(id: string): SpaceView | undefined
  spaceIds(): string[]
  requests(): RecordedRequest[]
  clearRequests(): void
  fault(f: FaultSpec): void
  clearFaults(): void
  oidc: OidcConfig
  readonly oidcRequestUrl: string
}

function errorReply(status: number, message: string): Reply {
  return { status, json: { error: message } }
}

/** Masks the token in a recorded request. */
export function maskRequest(request: RecordedRequest): RecordedRequest {
  if (request.headers.authorization === undefined) return request
  return { ...request, headers: { ...request.headers, authorization: 'Bearer ***' } }
}

export function handleControl(method: string, pathname: string, body: string, target: ControlTarget): Reply {
  try {
    return route(method, pathname.slice(CONTROL_PREFIX.length), body, target)
  } catch (error) {
    if (error instanceof UsageError) return errorReply(error.status, error.message)
    // Bad JSON (ErrorReply 400) and invalid fault specs.
    return errorReply(400, (error as Error).message)
  }
}

function route(method: string, path: string, body: string, target: ControlTarget): Reply {
  if (path === '/spaces') {
    if (method === 'GET') return { status: 200, json: target.spaceIds().map(id => target.space(id)) }
    if (method === 'POST') {
      const spec = parseJsonBody(body) as unknown as SpaceSpec
      target.addSpace(spec)
      return { status: 201, json: target.space(spec.id) }
    }
  }
  const spaceMatch = /^\/spaces\/([^/]+)\/([^/]+)$/.exec(path)
  if (spaceMatch) {
    const id = `${decodeURIComponent(spaceMatch[1] ?? '')}/${decodeURIComponent(spaceMatch[2] ?? '')}`
    if (method === 'PATCH') target.updateSpace(id, parseJsonBody(body))
    if (method === 'GET' || method === 'PATCH') {
      const view = target.space(id)
      return view ? { status: 200, json: view } : errorReply(404, `No Space ${id}`)
    }
  }
  if (path === '/faults') {
    if (method === 'POST') {
      target.fault(faultFromJson(parseJsonBody(body)))
      return { status: 201, json: { ok: true } }
    }
    if (method === 'DELETE') {
      target.clearFaults()
      return { status: 204 }
    }
  }
  if (path === '/requests') {
    if (method === 'GET') return { status: 200, json: target.requests().map(maskRequest) }
    if (method === 'DELETE') {
      target.clearRequests()
      return { status: 204 }
    }
  }
  if (path === '/oidc') {
    if (method === 'PUT') target.oidc = mergeOidc(target.oidc, parseJsonBody(body))
    if (method === 'GET' || method === 'PUT') {
      return { status: 200, json: { ...target.oidc, requestUrl: target.oidcRequestUrl } }
    }
  }
  return errorReply(404, `Unknown control route ${method} ${CONTROL_PREFIX}${path}`)
}

function mergeOidc(current: OidcConfig, patch: Record<string, unknown>): OidcConfig {
  const next: OidcConfig = structuredClone(current)
  const { requestToken, claims, tokenLifetimeSeconds } = patch
  if (requestToken !== undefined) {
    if (typeof requestToken !== 'string' || requestToken === '') {
      throw new UsageError(400, 'Invalid OIDC config: requestToken must be a non-empty string')
    }
    next.requestToken = requestToken
  }
  if (claims !== undefined) {
    const c = claims as Record<string, unknown> | null
    if (
      typeof c !== 'object' ||
      c === null ||
      typeof c.repository !== 'string' ||
      typeof c.ref !== 'string'
    ) {
      throw new UsageError(
        400,
        'Invalid OIDC config: claims must be an object with string repository and ref'
      )
    }
    next.claims = structuredClone(c) as OidcConfig['claims']
  }
  if (tokenLifetimeSeconds !== undefined) {
    if (typeof tokenLifetimeSeconds !== 'number' || !Number.isInteger(tokenLifetimeSeconds)) {
      throw new UsageError(400, 'Invalid OIDC config: tokenLifetimeSeconds must be an integer')
    }
    next.tokenLifetimeSeconds = tokenLifetimeSeconds
  }
  return next
}
