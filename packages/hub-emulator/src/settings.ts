/**
 * Space settings: secrets and variables (contract §4), persistent storage (§6.6, withdrawn) and volumes (§6.7).
 * All of them are for the owner and writers; the listings also accept their read-role tokens, as the logs do.
 *
 * Each change of a secret or variable (a new key, a new value, or the deletion of an existing key) and each change
 * of the volumes restarts a running Space (see Space.upsertConfig).
 */
import { authorizeWrite, type Caller } from './auth.js'
import { badRequest, ErrorReply, parseJsonBody, type Reply } from './http.js'
import { parseConfigItem, parseVolumes, type ConfigKind, type Space } from './spaces.js'
import { runtimeJson, secretsJson, variablesJson } from './views.js'

export interface SettingsRequest {
  method: string
  body: string
  caller: Caller
  now: number
}

/**
 * The answer to storage requests. Persistent storage is withdrawn (DOC, 2026-01) and no recording shows what the
 * Hub answers now: the status and text are the emulator's guess.
 */
export const STORAGE_WITHDRAWN =
  'Persistent storage is no longer available. Use Storage Buckets mounted as volumes instead.'

/** GET, POST and DELETE on /secrets and /variables; undefined for other methods. */
export function configRoute(
  req: SettingsRequest,
  target: Space | undefined,
  kind: ConfigKind
): Reply | undefined {
  const listing = (space: Space): Reply => ({
    status: 200,
    json: kind === 'secrets' ? secretsJson(space) : variablesJson(space)
  })
  // Secrets answer {} to writes; variables answer the whole map (REC).
  const afterWrite = (space: Space): Reply =>
    kind === 'secrets' ? { status: 200, json: {} } : listing(space)
  switch (req.method) {
    case 'GET':
      return listing(authorizeWrite(req.caller, target, { readOnlyAllowed: true }).space)
    case 'POST': {
      const { space } = authorizeWrite(req.caller, target)
      const item = parseConfigItem(parseJsonBody(req.body), false)
      if (typeof item === 'string') throw badRequest(item)
      space.upsertConfig(kind, item, req.now)
      return afterWrite(space)
    }
    case 'DELETE': {
      const { space } = authorizeWrite(req.caller, target)
      const { key } = parseJsonBody(req.body)
      if (typeof key !== 'string' || key === '') throw badRequest('Invalid key: expected a string')
      space.deleteConfig(kind, key, req.now)
      return afterWrite(space)
    }
    default:
      return undefined
  }
}

/** POST and DELETE /storage: refused with 400 once the caller may write. */
export function storageRoute(req: SettingsRequest, target: Space | undefined): Reply | undefined {
  if (req.method !== 'POST' && req.method !== 'DELETE') return undefined
  authorizeWrite(req.caller, target)
  throw new ErrorReply(400, STORAGE_WITHDRAWN)
}

/** PUT /volumes replaces the list, DELETE clears it; both answer the runtime (with `volumes` while mounted). */
export function volumesRoute(req: SettingsRequest, target: Space | undefined): Reply | undefined {
  if (req.method !== 'PUT' && req.method !== 'DELETE') return undefined
  const { space } = authorizeWrite(req.caller, target)
  if (space.isStatic) throw badRequest('Volumes are not available for static Spaces')
  if (req.method === 'PUT') {
    const volumes = parseVolumes(parseJsonBody(req.body).volumes)
    if (typeof volumes === 'string') throw badRequest(`Invalid volumes: ${volumes}`)
    space.setVolumes(volumes, req.now)
  } else {
    if (space.volumes.length === 0) throw badRequest('This Space has no volumes to delete')
    space.setVolumes([], req.now)
  }
  return { status: 200, json: runtimeJson(space, req.now) }
}
