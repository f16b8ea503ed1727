/**
 * Space lifecycle: `POST /api/repos/create`, `POST /api/spaces/{id}/duplicate` and `DELETE /api/repos/delete`
 * (contract §2 and §3). Checks run in the order the Hub's answers suggest: token (401), body (400), rights (403),
 * existence (409), subscription (402), hardware (400), billing (402).
 */
import {
  authorizeCreate,
  authorizeDelete,
  authorizeRead,
  canSee,
  hasComputePlan,
  type Caller
} from './auth.js'
import { cursorPage } from './content.js'
import { FREE_FLAVOR, ZERO_GPU_FLAVOR } from './catalogue.js'
import {
  badRequest,
  ErrorReply,
  parseJsonBody,
  paymentRequired,
  unauthorized,
  weakEtag,
  type Reply
} from './http.js'
import { defaultFiles, GitRepo, isValidPath } from './git.js'
import { randomObjectId, spaceWebUrl } from './ids.js'
import { spaceInfoJson } from './views.js'
import {
  isSleepTime,
  isValidRepoName,
  parseConfigItem,
  parseVolumes,
  Space,
  type ConfigKind
} from './spaces.js'
import type { Account, ConfigItem, HardwareFlavor, SpaceSpec, Stage, Visibility, Volume } from './types.js'

export interface RepoRequest {
  body: string
  caller: Caller
  now: number
}

export interface RepoState {
  spaces: Map<string, Space>
  hardware: readonly HardwareFlavor[]
}

type Sdk = 'gradio' | 'docker' | 'static'

/** What create and duplicate share. */
interface NewSpaceOptions {
  visibility: Visibility | undefined
  /** As sent; '' and null mean none. */
  hardware: string | undefined
  sleepTime: number | undefined
  secrets: ConfigItem[]
  variables: ConfigItem[]
  volumes: Volume[]
  storageTier: boolean
}

/** `create` accepts the SPEC alias `zerogpu` for the ZeroGPU flavor; duplicate does not. */
const ZERO_GPU_ALIAS = 'zerogpu'

/**
 * Sent when a request carries `storageTier`: persistent storage is discontinued (contract §6.6), so the key is
 * ignored. The `X-HF-Warning: <topic>; <message>` form is the contract's (§8); this text is the emulator's.
 */
export const STORAGE_TIER_WARNING =
  'storage; Persistent storage is no longer available: storageTier was ignored. Use Storage Buckets mounted as volumes instead.'

/** The 402 for a paid flavor without a payment method (also POST /hardware). The text is unconfirmed. */
export function hardwarePaymentRequired(flavor: string): ErrorReply {
  return paymentRequired(
    `Payment method required to request paid hardware (${flavor}). Add a payment method in your billing settings.`
  )
}

/** The 402 for a gradio or docker Space without a subscription. REC has the status only; the text is a guess. */
export function computePaymentRequired(sdk: Sdk, namespace: string): ErrorReply {
  return paymentRequired(
    `Payment required: ${sdk} Spaces run on compute and need a subscription (PRO for users, Team or Enterprise for organizations), and "${namespace}" has none. Static Spaces are free.`
  )
}

const NAME_RULES =
  '1-96 letters, digits, "_", "-" or ".", not starting or ending with "-" or ".", without "--" or "..", not ending in ".git"'
const NAMESPACE_PATTERN = /^[A-Za-z0-9_.-]+$/

function isSdk(value: unknown): value is Sdk {
  return value === 'gradio' || value === 'docker' || value === 'static'
}

function parseConfigList(raw: unknown, field: ConfigKind): ConfigItem[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw))
    throw badRequest(`Invalid ${field}: expected an array of {key, value, description?}`)
  return raw.map(entry => {
    const item = parseConfigItem(entry, true)
    if (typeof item === 'string') throw badRequest(`Invalid ${field}: ${item}`)
    return item
  })
}

function parseOptions(body: Record<string, unknown>): NewSpaceOptions {
  const { visibility, hardware, sleepTimeSeconds } = body
  const isPrivate = body.private ?? undefined
  if (isPrivate !== undefined && typeof isPrivate !== 'boolean')
    throw badRequest('Invalid private: expected a boolean')
  if (
    visibility !== undefined &&
    visibility !== 'public' &&
    visibility !== 'private' &&
    visibility !== 'protected'
  ) {
    throw badRequest('Invalid visibility: expected "public", "private" or "protected"')
  }
  if (isPrivate !== undefined && visibility !== undefined) {
    throw badRequest('private cannot be specified along with visibility')
  }
  if (hardware !== undefined && hardware !== null && typeof hardware !== 'string') {
    throw badRequest('Invalid hardware: expected a flavor name')
  }
  const sleepTime = sleepTimeSeconds ?? undefined
  if (sleepTime !== undefined && !isSleepTime(sleepTime)) {
    throw badRequest(
      'Invalid sleepTimeSeconds: expected a positive integer number of seconds, or -1 for never'
    )
  }
  let volumes: Volume[] = []
  if (body.volumes !== undefined && body.volumes !== null) {
    const parsed = parseVolumes(body.volumes)
    if (typeof parsed === 'string') throw badRequest(`Invalid volumes: ${parsed}`)
    volumes = parsed
  }
  return {
    visibility: visibility ?? (isPrivate === undefined ? undefined : isPrivate ? 'private' : 'public'),
    hardware: typeof hardware === 'string' && hardware !== '' ? hardware : undefined,
    sleepTime,
    secrets: parseConfigList(body.secrets, 'secrets'),
    variables: parseConfigList(body.variables, 'variables'),
    volumes,
    storageTier: body.storageTier !== undefined && body.storageTier !== null
  }
}

/** create's `files`: [{path, content, encoding?}] (encoding default utf-8), committed with the defaults. */
function parseFiles(raw: unknown): [string, Buffer][] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw badRequest('Invalid files: expected an array of {path, content, encoding?}')
  return raw.map((file: unknown, index) => {
    const f = (typeof file === 'object' && file !== null ? file : {}) as Record<string, unknown>
    if (typeof f.path !== 'string' || !isValidPath(f.path)) {
      throw badRequest(`Invalid files[${index}].path: expected a relative path`)
    }
    if (typeof f.content !== 'string') throw badRequest(`Invalid files[${index}].content: expected a string`)
    if (f.encoding !== undefined && f.encoding !== 'utf-8' && f.encoding !== 'base64') {
      throw badRequest(`Invalid files[${index}].encoding: expected "utf-8" or "base64"`)
    }
    if (f.encoding === 'base64' && !isBase64(f.content)) {
      throw badRequest(`Invalid files[${index}].content: not valid base64`)
    }
    return [f.path, Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8')]
  })
}

/** Strict base64 (padding required, no whitespace). */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)
}

/**
 * The subscription check (402), then the hardware checks: a known flavor (400), ZeroGPU for gradio only (400),
 * a payment method for paid flavors (402). Returns the flavor the Space requests, null for static Spaces.
 *
 * ZeroGPU is the exception to the subscription rule (DOC): a free namespace may host 2 ZeroGPU Spaces, a PRO
 * user or an org with a plan 10; past that, 402.
 */
function checkPlanAndHardware(
  account: Account,
  namespace: string,
  sdk: Sdk,
  options: NewSpaceOptions,
  state: RepoState,
  acceptZeroGpuAlias: boolean
): string | null {
  const requested =
    acceptZeroGpuAlias && options.hardware === ZERO_GPU_ALIAS ? ZERO_GPU_FLAVOR : options.hardware
  const plan = hasComputePlan(account, namespace)
  if (sdk !== 'static') {
    if (requested === ZERO_GPU_FLAVOR) {
      const limit = plan ? 10 : 2
      const hosted = [...state.spaces.values()].filter(
        s => s.namespace === namespace && s.requested === ZERO_GPU_FLAVOR
      ).length
      if (hosted >= limit) {
        throw paymentRequired(
          `"${namespace}" already hosts ${hosted} ZeroGPU Spaces, the limit of its plan (${limit}).`
        )
      }
    } else if (!plan) {
      throw computePaymentRequired(sdk, namespace)
    }
  }
  if (sdk === 'static') {
    if (requested !== undefined) throw badRequest('Cannot request hardware for a static Space')
    if (options.sleepTime !== undefined) throw badRequest('Cannot set the sleep time of a static Space')
    return null
  }
  if (requested === undefined) return FREE_FLAVOR
  const flavor = state.hardware.find(f => f.name === requested)
  if (flavor === undefined) {
    const names = state.hardware.map(f => f.name).join(', ')
    throw badRequest(`Invalid hardware flavor ${JSON.stringify(requested)}. Available: ${names}`)
  }
  if (flavor.name === ZERO_GPU_FLAVOR && sdk !== 'gradio') {
    throw badRequest('ZeroGPU hardware is only available for Gradio Spaces')
  }
  if (flavor.unitCostUSD > 0 && !(account.canPay ?? false)) throw hardwarePaymentRequired(flavor.name)
  return flavor.name
}

/** 409 exactly as recorded: `{"error","url"}`, without X-Error-Code or X-Error-Message. */
function alreadyExists(id: string): ErrorReply {
  return new ErrorReply(409, 'You already created this space repo', {
    errorMessageHeader: false,
    extra: { url: spaceWebUrl(id) }
  })
}

function requireToken(caller: Caller): void {
  if (caller.kind === 'anonymous' || caller.kind === 'invalid') throw unauthorized()
}

/** The caller's own namespace: the account's name, or the namespace of a minted token's Space. */
function ownNamespace(caller: Caller): string {
  if (caller.kind === 'account') return caller.account.name
  if (caller.kind === 'minted') return caller.grant.namespace
  throw unauthorized()
}

function namespaceOf(raw: unknown, caller: Caller): string {
  if (raw === undefined || raw === null) return ownNamespace(caller)
  if (typeof raw !== 'string' || !NAMESPACE_PATTERN.test(raw)) {
    throw badRequest('Invalid organization: expected a namespace name or null')
  }
  return raw
}

function warningHeaders(options: NewSpaceOptions): Record<string, string> {
  return options.storageTier ? { 'X-HF-Warning': STORAGE_TIER_WARNING } : {}
}

/** Builds and registers a new Space. */
function register(
  state: RepoState,
  init: {
    id: string
    sdk: Sdk
    flavor: string | null
    stage: Stage
    visibility: Visibility
    options: NewSpaceOptions
    inheritedVariables?: ReadonlyMap<string, { value: string; description?: string }>
    /** The initial files (create); the defaults for the sdk when absent. */
    files?: Map<string, Buffer>
    /** The source's repository (duplicate): its main history and LFS objects are copied. */
    repo?: GitRepo
  },
  now: number
): Space {
  const spec: SpaceSpec = { id: init.id, sdk: init.sdk, stage: init.stage, visibility: init.visibility }
  if (init.flavor !== null) spec.hardware = init.flavor
  if (init.files !== undefined) spec.files = Object.fromEntries(init.files)
  if (init.repo !== undefined) spec.sha = init.repo.head().sha
  const space = new Space(spec, now)
  if (init.repo !== undefined) space.repo = GitRepo.copyOf(init.repo)
  space.repoObjectId = randomObjectId()
  const { sleepTime } = init.options
  // cpu-basic always sleeps after 48 h; elsewhere -1 means never.
  if (init.flavor !== null && init.flavor !== FREE_FLAVOR && sleepTime !== undefined) {
    space.gcTimeout = sleepTime === -1 ? null : sleepTime
  }
  for (const [key, entry] of init.inheritedVariables ?? []) {
    space.upsertConfig('variables', { key, ...entry }, now, { restart: false })
  }
  for (const item of init.options.variables) space.upsertConfig('variables', item, now, { restart: false })
  for (const item of init.options.secrets) space.upsertConfig('secrets', item, now, { restart: false })
  if (!space.isStatic) space.volumes = init.options.volumes
  state.spaces.set(init.id, space)
  return space
}

/** The JSON body of a repos call from a signed-in caller; only Spaces are emulated. */
function spaceBody(req: RepoRequest, verb: 'creates' | 'deletes'): ReturnType<typeof parseJsonBody> {
  requireToken(req.caller)
  const body = parseJsonBody(req.body)
  if (body.type !== 'space') {
    throw badRequest(
      `The emulator only ${verb} Spaces: type must be "space", got ${JSON.stringify(body.type ?? 'model')}`
    )
  }
  return body
}

/**
 * `POST /api/repos/create` for `type: "space"`: 200 `{"url","name","id"}`. The new Space starts BUILDING on
 * `hardware` (default cpu-basic); a static one is RUNNING at once.
 */
export function createRepo(req: RepoRequest, state: RepoState): Reply {
  const body = spaceBody(req, 'creates')
  const { name, sdk } = body
  if (typeof name !== 'string' || !isValidRepoName(name)) {
    throw badRequest(`Invalid repo name ${JSON.stringify(name ?? null)}: expected ${NAME_RULES}`)
  }
  const namespace = namespaceOf(body.organization, req.caller)
  if (sdk === undefined || sdk === null)
    throw badRequest('sdk is required for Spaces: gradio, docker or static')
  if (!isSdk(sdk)) throw badRequest(`Invalid sdk ${JSON.stringify(sdk)}: expected gradio, docker or static`)
  const options = parseOptions(body)
  const files = parseFiles(body.files)
  const account = authorizeCreate(req.caller, namespace)
  const id = `${namespace}/${name}`
  if (state.spaces.has(id)) throw alreadyExists(id)
  const flavor = checkPlanAndHardware(account, namespace, sdk, options, state, true)
  const space = register(
    state,
    {
      id,
      sdk,
      flavor,
      stage: sdk === 'static' ? 'RUNNING' : 'BUILDING',
      visibility: options.visibility ?? 'public',
      options,
      files: new Map([...defaultFiles(name, sdk), ...files])
    },
    req.now
  )
  return {
    status: 200,
    json: { url: spaceWebUrl(id), name: id, id: space.repoObjectId },
    headers: warningHeaders(options)
  }
}

/**
 * `POST /api/spaces/{id}/duplicate`: 200 `{"url"}`. The copy has the source's sdk, files and variables (not its
 * secrets), starts on cpu-basic unless `hardware` says otherwise, is PAUSED when the source is, and keeps the
 * source's visibility unless told otherwise.
 */
export function duplicateSpace(req: RepoRequest, state: RepoState, target: Space | undefined): Reply {
  requireToken(req.caller)
  const body = parseJsonBody(req.body)
  const { repository } = body
  const parts = typeof repository === 'string' ? repository.split('/') : []
  const [namespace, name] = parts
  if (
    parts.length !== 2 ||
    namespace === undefined ||
    name === undefined ||
    !NAMESPACE_PATTERN.test(namespace) ||
    !isValidRepoName(name)
  ) {
    throw badRequest(
      `Invalid repository ${JSON.stringify(repository ?? null)}: expected "namespace/name" with a name of ${NAME_RULES}`
    )
  }
  const options = parseOptions(body)
  const source = authorizeRead(req.caller, target)
  const account = authorizeCreate(req.caller, namespace)
  const id = `${namespace}/${name}`
  if (state.spaces.has(id)) throw alreadyExists(id)
  const flavor = checkPlanAndHardware(account, namespace, source.sdk, options, state, false)
  const paused = source.observe(req.now).stage === 'PAUSED'
  register(
    state,
    {
      id,
      sdk: source.sdk,
      flavor,
      stage: source.isStatic ? 'RUNNING' : paused ? 'PAUSED' : 'BUILDING',
      visibility: options.visibility ?? source.visibility,
      options,
      inheritedVariables: source.variables,
      repo: source.repo
    },
    req.now
  )
  return { status: 200, json: { url: spaceWebUrl(id) }, headers: warningHeaders(options) }
}

/** `DELETE /api/repos/delete` `{name, organization, type: "space"}` → 200 text/plain `OK` (REC). */
export function deleteRepo(req: RepoRequest, state: RepoState): Reply {
  const body = spaceBody(req, 'deletes')
  if (typeof body.name !== 'string' || body.name === '') throw badRequest('name is required')
  const id = `${namespaceOf(body.organization, req.caller)}/${body.name}`
  const space = authorizeDelete(req.caller, state.spaces.get(id))
  state.spaces.delete(space.id)
  const text = 'OK'
  return {
    status: 200,
    text,
    contentType: 'text/plain; charset=utf-8',
    headers: { ETag: weakEtag(Buffer.from(text, 'utf8')) }
  }
}

/** Entries per page of the Spaces listing when the caller sends no `limit`. */
const SPACES_PAGE_SIZE = 20

/** The keys of a listing entry when nothing is expanded (contract §6.8: a short Space info). */
const LIST_KEYS = ['_id', 'id', 'author', 'lastModified', 'likes', 'private', 'sdk', 'tags', 'createdAt']

/**
 * `GET /api/spaces?author=&search=&filter=&limit=&expand=…` → the Spaces the caller can see, by id, as short
 * Space infos; with `expand` (or `expand[]`), `_id`, `id` and the expanded keys. `limit` (at most 1000) entries a
 * page, else `SPACES_PAGE_SIZE`, then a `Link: <…&cursor=…>; rel="next"` header. The Hub's own page size is not
 * documented (docs/hub-api.md §6.8): a small one makes every client follow the links.
 */
export function listSpaces(
  req: RepoRequest & { query: URLSearchParams; origin: string },
  state: RepoState
): Reply {
  const { query } = req
  const author = query.get('author')
  const search = query.get('search')?.toLowerCase()
  const filters = query.getAll('filter')
  const expand = [...query.getAll('expand'), ...query.getAll('expand[]')]
  const limit = Number(query.get('limit') ?? SPACES_PAGE_SIZE)
  if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a positive integer')
  const entries = [...state.spaces.values()]
    .filter(space => canSee(req.caller, space))
    .filter(space => author === null || space.namespace === author)
    .filter(space => search === undefined || space.id.toLowerCase().includes(search))
    .map(space => spaceInfoJson(space, req.now))
    .filter(info => filters.every(tag => (info.tags as string[]).includes(tag)))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)))
  const keys = expand.length === 0 ? LIST_KEYS : [...new Set(['_id', 'id', ...expand])]
  const picked = entries.map(info => Object.fromEntries(keys.filter(k => k in info).map(k => [k, info[k]])))
  const { page, headers } = cursorPage(picked, query, Math.min(limit, 1000), `${req.origin}/api/spaces`)
  return { status: 200, json: page, headers }
}
