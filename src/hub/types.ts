/**
 * Hub JSON parsed once, into typed values. Parsers accept extra fields and missing optional ones
 * (the recorded answers differ between 2023 and 2025), and reject only what the action cannot work without.
 */
import { ActionError } from '../errors.js'

/** Stages the Hub documents; a stage outside this list is kept as text and treated as "in progress". */
export const STAGES = [
  'NO_APP_FILE',
  'CONFIG_ERROR',
  'BUILDING',
  'BUILD_ERROR',
  'RUNNING',
  'RUNNING_BUILDING',
  'RUNTIME_ERROR',
  'DELETING',
  'STOPPED',
  'PAUSED',
  'APP_STARTING',
  'RUNNING_APP_STARTING',
  'SLEEPING'
] as const
export type KnownStage = (typeof STAGES)[number]

/**
 * "Never sleeps" in what the action writes: the Hub takes a sleep time of -1, and the action carries it so from the
 * inputs to the teardown state. What the Hub reports (`gcTimeout`, Runtime.sleepTime) says the same with null.
 */
export const NEVER_SLEEP = -1

/** A sleep time to write, as the Hub reports it once set. */
export function sleepTimeAsRead(seconds: number): number | null {
  return seconds === NEVER_SLEEP ? null : seconds
}

/** A sleep time the Hub reported, as one to write back. */
export function sleepTimeToWrite(sleepTime: number | null): number {
  return sleepTime ?? NEVER_SLEEP
}

export interface Domain {
  domain: string
  stage: string
  isCustom: boolean
}

export interface Runtime {
  stage: KnownStage | (string & {})
  /** `hardware.current`: null while building, paused or asleep, and always for static Spaces. */
  hardware: string | null
  /** `hardware.requested`. */
  requestedHardware: string | null
  /** `gcTimeout` in seconds; null means "never sleeps"; undefined when the Hub sends none (static Spaces). */
  sleepTime: number | null | undefined
  errorMessage: string | null
  domains: Domain[]
  /**
   * The commit the serving container was built from, when the runtime says so: unconfirmed, absent from every
   * recording (docs/hub-api.md §5). Still the previous commit while a new one builds.
   */
  sha: string | null
  /** The persistent-storage tier, if any. Recorded as null; a tier string or {current, requested} when set. */
  storage: string | null
  /** Mounted volumes, when the answer lists them (the runtime endpoint does not always: read the Space info). */
  volumes?: Volume[]
}

/** A volume as the Hub writes it (`PUT /api/spaces/{id}/volumes`, docs/hub-api.md §6.7). */
export interface Volume {
  /** bucket, model, dataset or space when the action writes it; a type read from the Hub is kept as it is. */
  type: string
  /** owner/name; a private source the caller cannot read comes back masked (see isMaskedSource). */
  source: string
  mountPath: string
  revision?: string
  readOnly?: boolean
  /** A folder inside the bucket or repository. */
  path?: string
}

/** The Hub shows a source the caller cannot read as asterisks, owner and name alike: never send that back. */
export function isMaskedSource(source: string): boolean {
  return /^\*+(\/\*+)?$/.test(source)
}

export interface Variable {
  value: string
  description: string | null
}

export interface SpaceInfo {
  id: string
  /** The head of main from the moment a commit lands: never evidence of what is served (docs/hub-api.md §6.8). */
  sha: string | null
  host: string | null
  subdomain: string | null
  sdk: string | null
  runtime: Runtime | null
}

export interface HardwareFlavor {
  name: string
  prettyName: string
  unitCostUSD: number | null
  unitLabel: string | null
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function malformed(what: string, body: unknown): ActionError {
  const text = JSON.stringify(body) ?? String(body)
  return new ActionError(
    'bad-response',
    `The Hub answered with an unexpected ${what}: ${text.slice(0, 200)}`,
    'Retry the job; if it persists the Hub API may have changed: please report it.'
  )
}

export function parseRuntime(body: unknown): Runtime {
  if (!isObject(body) || typeof body.stage !== 'string') throw malformed('runtime', body)
  const hardware = isObject(body.hardware) ? body.hardware : {}
  const domains = Array.isArray(body.domains) ? body.domains.filter(isObject) : []
  return {
    stage: body.stage,
    hardware: str(hardware.current),
    requestedHardware: str(hardware.requested),
    sleepTime: 'gcTimeout' in body ? num(body.gcTimeout) : undefined,
    errorMessage: str(body.errorMessage),
    domains: domains
      .filter(d => typeof d.domain === 'string')
      .map(d => ({ domain: d.domain as string, stage: str(d.stage) ?? '', isCustom: d.isCustom === true })),
    sha: str(body.sha),
    storage:
      str(body.storage) ??
      (isObject(body.storage) ? (str(body.storage.requested) ?? str(body.storage.current)) : null),
    ...(Array.isArray(body.volumes) ? { volumes: parseVolumes(body.volumes) } : {})
  }
}

/** Unknown types are kept as they are, to be written back unchanged; an entry without a mount path cannot be. */
function parseVolumes(items: unknown[]): Volume[] {
  return items.filter(isObject).flatMap(item => {
    const { type, source, mountPath } = item
    if (typeof source !== 'string' || typeof mountPath !== 'string') return []
    return [
      {
        type: typeof type === 'string' ? type : 'model',
        source,
        mountPath,
        ...(typeof item.revision === 'string' ? { revision: item.revision } : {}),
        ...(typeof item.readOnly === 'boolean' ? { readOnly: item.readOnly } : {}),
        ...(typeof item.path === 'string' && item.path ? { path: item.path } : {})
      }
    ]
  })
}

/** `key → {value, description?, updatedAt}`; an inner `key` (SPEC) is tolerated, the map key wins. */
export function parseVariables(body: unknown): Map<string, Variable> {
  if (!isObject(body)) throw malformed('variables answer', body)
  const variables = new Map<string, Variable>()
  for (const [key, entry] of Object.entries(body)) {
    if (isObject(entry))
      variables.set(key, { value: str(entry.value) ?? '', description: str(entry.description) })
  }
  return variables
}

/** Secret keys only: the Hub never returns values. Accepts a map or a list. */
export function parseSecretKeys(body: unknown): string[] {
  if (Array.isArray(body))
    return body
      .filter(isObject)
      .map(e => str(e.key) ?? '')
      .filter(Boolean)
  if (isObject(body)) return Object.keys(body)
  throw malformed('secrets answer', body)
}

/** `{url, …}`: the answer of create and duplicate (and of the 409 for an existing repo). */
export function parseRepoUrl(body: unknown): string {
  if (!isObject(body) || typeof body.url !== 'string') throw malformed('repository answer', body)
  return body.url
}

export function parseSpaceInfo(body: unknown): SpaceInfo {
  if (!isObject(body)) throw malformed('Space info', body)
  return {
    id: str(body.id) ?? '',
    sha: str(body.sha),
    host: str(body.host),
    subdomain: str(body.subdomain),
    sdk: str(body.sdk),
    runtime:
      isObject(body.runtime) && typeof body.runtime.stage === 'string' ? parseRuntime(body.runtime) : null
  }
}

/** The ids of a Spaces listing page (`[{id, author, …}]`). */
export function parseSpaceList(body: unknown): string[] {
  if (!Array.isArray(body)) throw malformed('Spaces listing', body)
  return body.filter(isObject).flatMap(entry => (typeof entry.id === 'string' ? [entry.id] : []))
}

export function parseHardwareCatalogue(body: unknown): HardwareFlavor[] {
  if (!Array.isArray(body)) throw malformed('hardware catalogue', body)
  return body
    .filter(isObject)
    .filter(item => typeof item.name === 'string')
    .map(item => ({
      name: item.name as string,
      prettyName: str(item.prettyName) ?? (item.name as string),
      unitCostUSD: num(item.unitCostUSD),
      unitLabel: str(item.unitLabel)
    }))
}

/** The Space's public address from the runtime domains: a ready, non-custom domain first. Never derived from the id. */
export function appHost(runtime: Runtime): string | null {
  const ranked = [...runtime.domains].sort((a, b) => rank(a) - rank(b))
  return ranked[0]?.domain ?? null

  function rank(domain: Domain): number {
    return (domain.stage === 'READY' ? 0 : 2) + (domain.isCustom ? 1 : 0)
  }
}

/** What `GET /api/whoami-v2` says about the caller and its token (docs/hub-api.md §10.6). */
export interface WhoAmI {
  name: string
  canPay: boolean | null
  orgs: { name: string; roleInOrg: string | null }[]
  authType: string | null
  tokenName: string | null
  /** read, write, fineGrained, … */
  tokenRole: string | null
  /** Fine-grained scopes: which entity, with which permissions. */
  scoped: { entityType: string; entityName: string; permissions: string[] }[]
}

export function parseWhoAmI(body: unknown): WhoAmI {
  if (!isObject(body) || typeof body.name !== 'string') throw malformed('whoami answer', body)
  const auth = isObject(body.auth) ? body.auth : {}
  const token = isObject(auth.accessToken) ? auth.accessToken : {}
  const fineGrained = isObject(token.fineGrained) ? token.fineGrained : {}
  const scoped = Array.isArray(fineGrained.scoped) ? fineGrained.scoped.filter(isObject) : []
  return {
    name: body.name,
    canPay: typeof body.canPay === 'boolean' ? body.canPay : null,
    orgs: (Array.isArray(body.orgs) ? body.orgs.filter(isObject) : [])
      .filter(org => typeof org.name === 'string')
      .map(org => ({ name: org.name as string, roleInOrg: str(org.roleInOrg) })),
    authType: str(auth.type),
    tokenName: str(token.displayName),
    tokenRole: str(token.role),
    scoped: scoped.map(entry => {
      const entity = isObject(entry.entity) ? entry.entity : {}
      return {
        entityType: str(entity.type) ?? '',
        entityName: str(entity.name) ?? '',
        permissions: Array.isArray(entry.permissions)
          ? entry.permissions.filter(p => typeof p === 'string')
          : []
      }
    })
  }
}

/** The answer of `POST /oauth/token` (token exchange). */
export function parseAccessToken(body: unknown): { token: string; expiresIn: number | null } {
  if (!isObject(body) || typeof body.access_token !== 'string' || !body.access_token) {
    throw malformed('token-exchange answer', isObject(body) ? { ...body, access_token: '***' } : body)
  }
  return { token: body.access_token, expiresIn: num(body.expires_in) }
}

export interface PreuploadFile {
  path: string
  uploadMode: 'regular' | 'lfs'
  shouldIgnore: boolean
  /** Present when the path exists: the git blob SHA-1 (regular) or sha256 (LFS) of its current content. */
  oid: string | null
}

/** One preupload answer: its files, and the head it was judged against. */
export function parsePreupload(body: unknown): { files: PreuploadFile[]; commitOid: string | null } {
  const answer = object(body, 'preupload answer')
  const files: PreuploadFile[] = []
  for (const entry of Array.isArray(answer.files) ? answer.files : []) {
    const file = entry as Json
    if (typeof file.path !== 'string') continue
    files.push({
      path: file.path,
      uploadMode: file.uploadMode === 'lfs' ? 'lfs' : 'regular',
      shouldIgnore: file.shouldIgnore === true,
      oid: typeof file.oid === 'string' ? file.oid : null
    })
  }
  return { files, commitOid: str(answer.commitOid) }
}

export interface LfsAction {
  href: string
  header: Record<string, string>
}

export interface LfsObject {
  oid: string
  size: number
  upload?: LfsAction
  verify?: LfsAction
  error?: string
}

/** The Git LFS batch answer: objects the Hub already has come back without an upload action. */
export function parseLfsBatch(body: unknown): LfsObject[] {
  const answer = object(body, 'LFS batch answer')
  return (Array.isArray(answer.objects) ? answer.objects : []).map(entry => {
    const item = entry as Json
    const actions = (item.actions ?? {}) as Json
    const error = item.error as { message?: unknown } | undefined
    const upload = lfsAction(actions.upload)
    const verify = lfsAction(actions.verify)
    return {
      oid: String(item.oid),
      size: Number(item.size),
      ...(upload ? { upload } : {}),
      ...(verify ? { verify } : {}),
      ...(error ? { error: typeof error.message === 'string' ? error.message : 'refused' } : {})
    }
  })
}

function lfsAction(value: unknown): LfsAction | undefined {
  const action = value as { href?: unknown; header?: unknown } | undefined
  if (!action || typeof action.href !== 'string') return undefined
  return { href: action.href, header: (action.header ?? {}) as Record<string, string> }
}

export interface CommitResult {
  commitOid: string
  commitUrl: string
  pullRequestUrl: string | null
}

export function parseCommitResult(body: unknown): CommitResult {
  const answer = object(body, 'commit answer')
  if (typeof answer.commitOid !== 'string') throw malformed('commit answer', answer)
  return {
    commitOid: answer.commitOid,
    commitUrl: str(answer.commitUrl) ?? '',
    pullRequestUrl: str(answer.pullRequestUrl)
  }
}

/** The file paths of one page of a tree listing (folders are listed too, and skipped). */
export function parseTreeFiles(body: unknown): string[] {
  const paths: string[] = []
  for (const entry of Array.isArray(body) ? body : []) {
    const item = entry as Json
    if (item.type === 'file' && typeof item.path === 'string') paths.push(item.path)
  }
  return paths
}

function object(body: unknown, what: string): Json {
  if (!isObject(body)) throw malformed(what, body)
  return body
}

/** The log text of one SSE line, or null for comments, keep-alives and anything that is not a log event. */
export function parseLogEvent(line: string): string | null {
  const trimmed = line.trim()
  if (!trimmed.startsWith('data:')) return null
  const payload = trimmed.slice('data:'.length).trim()
  if (!payload.startsWith('{')) return null
  try {
    const event = JSON.parse(payload) as { data?: unknown }
    return typeof event.data === 'string' ? event.data.replace(/\r?\n$/, '') : null
  } catch {
    return null
  }
}

/** Response headers as undici hands them over. */
export type AnswerHeaders = Record<string, string | string[] | undefined>

/** One header's (first) value, or null when absent. */
export function header(headers: AnswerHeaders, name: string): string | null {
  const value = headers[name]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

/** `RateLimit: "api";r=499;t=295` (IETF draft v9, as the Hub sends it). */
export function parseRateLimit(value: string | null): { remaining: number; resetSeconds: number } | null {
  const match = value ? /r=(\d+)\s*;\s*t=(\d+)/.exec(value) : null
  return match ? { remaining: Number(match[1]), resetSeconds: Number(match[2]) } : null
}

/** `Retry-After` in milliseconds from `now`: delay-seconds, or an HTTP date read against the same clock. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** The target of `Link: <…>; rel="next"`, as a path on `endpoint`'s origin; null for none or another origin. */
export function parseNextLink(value: string | null, endpoint: string): string | null {
  const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(value ?? '')?.[1]
  const next = link ? new URL(link, endpoint) : null
  return next && next.origin === new URL(endpoint).origin ? next.pathname + next.search : null
}
