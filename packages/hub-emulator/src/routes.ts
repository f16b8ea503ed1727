/**
 * The emulated `/api` routes. Each handler is a function of the request and the emulator's state that returns a
 * Reply or throws an ErrorReply; the server adds the common headers and records the exchange.
 */
import { authorizeRead, authorizeWrite, requireAccount, type Caller } from './auth.js'
import { ZERO_GPU_FLAVOR } from './catalogue.js'
import {
  branch,
  commit,
  commits,
  pathsInfo,
  preupload,
  refs,
  resolveFile,
  revision,
  tree,
  type ContentRequest
} from './content.js'
import { badRequest, notFound, parseJsonBody, type Reply } from './http.js'
import { lfsBatch, lfsVerify, type LfsTickets } from './lfs.js'
import { createRepo, deleteRepo, duplicateSpace, hardwarePaymentRequired, listSpaces } from './repos.js'
import { configRoute, storageRoute, volumesRoute } from './settings.js'
import { isSleepTime, type Space } from './spaces.js'
import { defaultLog, formatSse, logEvents, parseTail, tailLines } from './sse.js'
import type { HardwareFlavor } from './types.js'
import { mintedWhoamiJson, runtimeJson, spaceInfoJson, whoamiJson } from './views.js'

export interface ApiRequest {
  method: string
  pathname: string
  query: URLSearchParams
  body: string
  /** Lower-case header names. */
  headers: Record<string, string>
  caller: Caller
  now: number
  /** The emulator's origin (`http://127.0.0.1:PORT`), for links it hands out. */
  origin: string
}

export interface ApiState {
  spaces: Map<string, Space>
  hardware: readonly HardwareFlavor[]
  lfsTickets: LfsTickets
}

type SpaceAction = 'hardware' | 'sleeptime' | 'pause' | 'restart'

/** Dispatches one `/api` request. Unknown routes answer 404 `{"error":"Not Found"}`. */
export function handleApi(req: ApiRequest, state: ApiState): Reply {
  const segments = pathSegments(req.pathname)
  if (segments === undefined || segments[0] !== 'api') throw notFound()
  const [, area, ...rest] = segments
  const { method } = req

  if (method === 'GET' && area === 'whoami-v2' && rest.length === 0) {
    if (req.caller.kind === 'minted') return { status: 200, json: mintedWhoamiJson(req.caller.grant) }
    return { status: 200, json: whoamiJson(requireAccount(req.caller)) }
  }
  if (area === 'repos' && rest.length === 1) {
    if (method === 'POST' && rest[0] === 'create') return createRepo(req, state)
    if (method === 'DELETE' && rest[0] === 'delete') return deleteRepo(req, state)
  }
  if (area !== 'spaces') throw notFound()
  if (method === 'GET' && rest.length === 0) return listSpaces(req, state)
  if (method === 'GET' && rest.length === 1 && rest[0] === 'hardware') {
    return { status: 200, json: state.hardware }
  }
  const [namespace, name, action, logKind, ...extra] = rest
  if (namespace === undefined || name === undefined) throw notFound()
  const space = state.spaces.get(`${namespace}/${name}`)
  const content = contentRoute(req, space, method, action, rest.slice(3))
  if (content !== undefined) return content
  if (extra.length > 0) throw notFound()
  if (method === 'GET' && action === 'refs' && logKind === undefined) return refs(req, space)

  if (method === 'GET' && action === undefined) {
    return { status: 200, json: spaceInfoJson(authorizeRead(req.caller, space), req.now) }
  }
  if (method === 'GET' && action === 'runtime' && logKind === undefined) {
    return runtime(authorizeRead(req.caller, space), req.now)
  }
  if (method === 'GET' && action === 'logs' && (logKind === 'build' || logKind === 'run')) {
    return logs(req, space, logKind)
  }
  if (method === 'POST' && logKind === undefined && isSpaceAction(action)) {
    return spaceAction(req, state, space, action)
  }
  if (logKind === undefined) {
    let reply: Reply | undefined
    if (action === 'duplicate' && method === 'POST') reply = duplicateSpace(req, state, space)
    else if (action === 'secrets' || action === 'variables') reply = configRoute(req, space, action)
    else if (action === 'storage') reply = storageRoute(req, space)
    else if (action === 'volumes') reply = volumesRoute(req, space)
    if (reply !== undefined) return reply
  }
  throw notFound()
}

/** preupload, commit, tree, revision, commits, paths-info and branch; undefined when the path is none of them. */
function contentRoute(
  req: ApiRequest,
  space: Space | undefined,
  method: string,
  action: string | undefined,
  tail: string[]
): Reply | undefined {
  const [rev, ...path] = tail
  if (rev === undefined || rev === '') return undefined
  if (method === 'POST' && action === 'preupload' && path.length === 0) return preupload(req, space, rev)
  if (method === 'POST' && action === 'commit' && path.length === 0) return commit(req, space, rev)
  if (method === 'GET' && action === 'revision' && path.length === 0) return revision(req, space, rev)
  if (method === 'GET' && action === 'tree') return tree(req, space, rev, path.join('/'))
  if (method === 'GET' && action === 'commits' && path.length === 0) return commits(req, space, rev)
  if (method === 'POST' && action === 'paths-info' && path.length === 0) return pathsInfo(req, space, rev)
  if ((method === 'POST' || method === 'DELETE') && action === 'branch' && path.length === 0) {
    return branch(req, space, rev)
  }
  return undefined
}

/**
 * The Hub routes outside `/api` (the `hub` surface): `POST /spaces/{ns}/{name}.git/info/lfs/objects/batch|verify`
 * and `GET|HEAD /spaces/{ns}/{name}/resolve|raw/{rev}/{path}`. Anything else → 404 `{"error":"Not Found"}`.
 */
export function handleHub(req: ApiRequest, state: ApiState): Reply {
  const segments = pathSegments(req.pathname)
  if (segments === undefined || segments[0] !== 'spaces') throw notFound()
  const [, namespace, repo, ...rest] = segments
  if (namespace === undefined || repo === undefined) throw notFound()
  const content: ContentRequest = req
  if (repo.endsWith('.git')) {
    const space = state.spaces.get(`${namespace}/${repo.slice(0, -'.git'.length)}`)
    const route = rest.join('/')
    if (req.method === 'POST' && route === 'info/lfs/objects/batch')
      return lfsBatch(content, space, state.lfsTickets)
    if (req.method === 'POST' && route === 'info/lfs/objects/verify') return lfsVerify(content, space)
    throw notFound()
  }
  const [action, rev, ...path] = rest
  if (
    (action === 'resolve' || action === 'raw') &&
    rev !== undefined &&
    path.length > 0 &&
    (req.method === 'GET' || req.method === 'HEAD')
  ) {
    return resolveFile(content, state.spaces.get(`${namespace}/${repo}`), rev, path.join('/'), action)
  }
  throw notFound()
}

function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined
  }
}

function isSpaceAction(action: string | undefined): action is SpaceAction {
  return action === 'hardware' || action === 'sleeptime' || action === 'pause' || action === 'restart'
}

function runtime(space: Space, now: number): Reply {
  return { status: 200, json: runtimeJson(space, now) }
}

/** hardware, sleeptime, pause and restart: owner or writer only; all answer with the runtime. */
function spaceAction(
  req: ApiRequest,
  state: ApiState,
  target: Space | undefined,
  action: SpaceAction
): Reply {
  const { space, canPay } = authorizeWrite(req.caller, target)
  const { now } = req
  switch (action) {
    case 'hardware': {
      if (space.isStatic) throw badRequest('Cannot request hardware for a static Space')
      const body = parseJsonBody(req.body)
      const flavor = state.hardware.find(f => f.name === body.flavor)
      if (flavor === undefined) {
        const names = state.hardware.map(f => f.name).join(', ')
        throw badRequest(
          `Invalid hardware flavor ${JSON.stringify(body.flavor ?? null)}. Available: ${names}`
        )
      }
      const sleepTime = body.sleepTimeSeconds ?? undefined
      if (sleepTime !== undefined && !isSleepTime(sleepTime)) {
        throw badRequest(
          'Invalid sleepTimeSeconds: expected a positive integer number of seconds, or -1 for never'
        )
      }
      if (flavor.name === ZERO_GPU_FLAVOR && space.sdk !== 'gradio') {
        throw badRequest('ZeroGPU hardware is only available for Gradio Spaces')
      }
      if (flavor.unitCostUSD > 0 && !canPay) throw hardwarePaymentRequired(flavor.name)
      space.requestHardware(flavor.name, sleepTime, now)
      return runtime(space, now)
    }
    case 'sleeptime': {
      if (space.isStatic) throw badRequest('Cannot set the sleep time of a static Space')
      const { seconds } = parseJsonBody(req.body)
      if (!isSleepTime(seconds)) {
        throw badRequest('Invalid seconds: expected a positive integer number of seconds, or -1 for never')
      }
      // On cpu-basic (free hardware always sleeps after 48 h) the call is accepted and ignored.
      space.setSleepTime(seconds)
      return runtime(space, now)
    }
    case 'pause':
      if (space.isStatic) throw badRequest('Cannot pause a static Space')
      space.pause(now)
      return runtime(space, now)
    case 'restart':
      if (space.isStatic) throw badRequest('Cannot restart a static Space')
      space.restart(now)
      return runtime(space, now)
  }
}

/** logs/build and logs/run: the owner's or a writer's tokens (read-role ones included). */
function logs(req: ApiRequest, target: Space | undefined, kind: 'build' | 'run'): Reply {
  const { space } = authorizeWrite(req.caller, target, { readOnlyAllowed: true })
  let tail: number | undefined
  try {
    tail = parseTail(req.query.get('tail') ?? undefined)
  } catch (error) {
    throw badRequest((error as Error).message)
  }
  const configured = kind === 'build' ? space.buildLog : space.runLog
  const lines =
    configured ?? (kind === 'build' ? space.lastBuild?.log : undefined) ?? defaultLog(kind, space, req.now)
  return {
    status: 200,
    text: formatSse(logEvents(tailLines(lines, tail), req.now)),
    contentType: 'text/event-stream',
    headers: { 'Cache-Control': 'no-cache' }
  }
}
