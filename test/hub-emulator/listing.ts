/**
 * `GET /api/spaces?author={owner}` (contract §6.8): the Spaces the caller can see, `SPACES_PAGE_SIZE` a page (or
 * `limit`, at most 1000), in id order, with a `Link: <…&cursor=…>; rel="next"` header while more remain, as PY's
 * `paginate()` follows it. Each entry is the short Space info; `expand[]=runtime` adds the runtime.
 */
import { canSee } from './auth.js'
import { badRequest, type Reply } from './http.js'
import type { ApiRequest, ApiState } from './routes.js'
import { runtimeJson, spaceObjectId } from './views.js'

/** Entries per page when the caller sends no `limit`: small, so a few dozen Spaces already span pages. */
export const SPACES_PAGE_SIZE = 20

export function listSpaces(req: ApiRequest, state: ApiState): Reply {
  const author = req.query.get('author')
  const search = req.query.get('search')?.toLowerCase()
  const limitText = req.query.get('limit')
  const pageSize = limitText === null ? SPACES_PAGE_SIZE : Number.parseInt(limitText, 10)
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw badRequest('Invalid limit')
  const expand = new Set([...req.query.getAll('expand[]'), ...req.query.getAll('expand')])
  const visible = [...state.spaces.values()]
    .filter(space => (author === null || space.namespace === author) && canSee(req.caller, space))
    .filter(space => search === undefined || space.id.toLowerCase().includes(search))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const cursor = req.query.get('cursor')
  let start = 0
  if (cursor !== null) {
    start = Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10)
    if (!Number.isInteger(start) || start < 0 || start > visible.length) throw badRequest('Invalid cursor')
  }
  const page = visible.slice(start, start + pageSize).map(space => ({
    _id: spaceObjectId(space),
    id: space.id,
    author: space.namespace,
    likes: 0,
    private: space.private,
    sdk: space.sdk,
    tags: [],
    lastModified: new Date(space.lastModified).toISOString(),
    createdAt: new Date(space.createdAt).toISOString(),
    ...(expand.has('runtime') ? { runtime: runtimeJson(space, req.now) } : {})
  }))
  const headers: Record<string, string> = {}
  if (start + pageSize < visible.length) {
    const next = new URLSearchParams(req.query)
    next.set('cursor', Buffer.from(String(start + pageSize), 'utf8').toString('base64url'))
    headers.Link = `<${req.origin}/api/spaces?${next.toString()}>; rel="next"`
  }
  return { status: 200, json: page, headers }
}
