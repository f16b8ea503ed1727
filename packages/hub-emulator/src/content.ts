/**
 * The content routes of a Space (contract §10): preupload, commit (NDJSON and the older JSON form), the tree
 * listing, revision info, and `resolve` (raw file content, outside `/api`).
 */
import { authorizeRead, authorizeWrite, type Caller } from './auth.js'
import {
  blobOid,
  contentOid,
  entryNotFound,
  fileSize,
  gitCompare,
  isIgnored,
  isValidPath,
  LFS_THRESHOLD_BYTES,
  lfsPointer,
  looksBinary,
  needsLfs,
  treeOids,
  type Commit,
  type FileOp,
  type StoredFile
} from './git.js'
import { badRequest, ErrorReply, parseJsonBody, type Reply } from './http.js'
import { spaceWebUrl } from './ids.js'
import { isBase64 } from './repos.js'
import type { Space } from './spaces.js'
import { avatarUrl, iso, revisionJson } from './views.js'

export interface ContentRequest {
  method: string
  query: URLSearchParams
  body: string
  /** Lower-case header names. */
  headers: Record<string, string>
  caller: Caller
  now: number
  /** The emulator's own origin, for `Link` headers. */
  origin: string
}

/** Entries per page of the tree listing. */
export const TREE_PAGE_SIZE = 1000

/** The message of the 412 for a stale `parentCommit` (PY tests assert this text). */
export const PARENT_COMMIT_CONFLICT = 'A commit has happened since. Please refresh and try again.'

function revisionNotFound(rev: string): ErrorReply {
  return new ErrorReply(404, `Invalid rev id: ${rev}`, { code: 'RevisionNotFound' })
}

function commitAt(space: Space, rev: string): Commit {
  const commit = space.repo.resolve(rev)
  if (commit === undefined) throw revisionNotFound(rev)
  return commit
}

function textAt(commit: Commit, path: string): string {
  const file = commit.files.get(path)
  return file === undefined || file.lfs ? '' : file.content.toString('utf8')
}

function validationError(message: string): ErrorReply {
  return new ErrorReply(422, message)
}

// ---------------------------------------------------------------------------------------------------------------
// preupload

/**
 * `POST /api/spaces/{id}/preupload/{rev}` `{"files":[{path, sample, size}], gitIgnore?, gitAttributes?}` →
 * `{"files":[{path, uploadMode, shouldIgnore, oid?}], "commitOid"}` (REC key order). Writers only.
 */
export function preupload(req: ContentRequest, target: Space | undefined, rev: string): Reply {
  const { space } = authorizeWrite(req.caller, target)
  const body = parseJsonBody(req.body)
  const head = commitAt(space, rev)
  const { files, gitIgnore, gitAttributes } = body
  if (!Array.isArray(files) || files.length > 1000) {
    throw validationError('files must be an array of at most 1000 {path, sample, size}')
  }
  if (gitIgnore !== undefined && typeof gitIgnore !== 'string')
    throw validationError('gitIgnore must be a string')
  if (gitAttributes !== undefined && typeof gitAttributes !== 'string') {
    throw validationError('gitAttributes must be a string')
  }
  const attributes = gitAttributes ?? textAt(head, '.gitattributes')
  const ignore = gitIgnore ?? textAt(head, '.gitignore')
  const answers = files.map((raw: unknown, index) => {
    const f = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
    const { path, sample, size } = f
    if (typeof path !== 'string' || !isValidPath(path)) {
      throw validationError(`files[${index}].path must be a relative path`)
    }
    if (typeof sample !== 'string' || !isBase64(sample)) {
      throw validationError(`files[${index}].sample must be the base64 of the first 512 bytes`)
    }
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      throw validationError(`files[${index}].size must be an integer >= 0`)
    }
    const lfs = needsLfs(path, size, Buffer.from(sample, 'base64'), attributes)
    const answer: Record<string, unknown> = {
      path,
      uploadMode: lfs ? 'lfs' : 'regular',
      shouldIgnore: isIgnored(ignore, path)
    }
    const existing = head.files.get(path)
    if (existing !== undefined) answer.oid = contentOid(existing)
    return answer
  })
  return { status: 200, json: { files: answers, commitOid: head.sha } }
}

// ---------------------------------------------------------------------------------------------------------------
// commit

interface ParsedCommit {
  summary: string
  description: string
  parentCommit: string | undefined
  ops: FileOp[]
}

function str(value: unknown): value is string {
  return typeof value === 'string'
}

function pathOf(value: Record<string, unknown>, where: string, key = 'path'): string {
  const path = value[key]
  if (!str(path) || !isValidPath(path)) throw badRequest(`${where}: ${key} must be a relative file path`)
  return path
}

function fileOp(value: Record<string, unknown>, where: string): FileOp {
  const path = pathOf(value, where)
  const { content, encoding } = value
  if (!str(content)) throw badRequest(`${where}: content must be a string`)
  if (encoding !== undefined && encoding !== 'base64' && encoding !== 'utf-8') {
    throw badRequest(`${where}: encoding must be "base64" or "utf-8"`)
  }
  if (encoding === 'base64' && !isBase64(content)) throw badRequest(`${where}: content is not valid base64`)
  const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8')
  // The Hub's pre-receive hook (unconfirmed for the commit API): big and binary files must go through LFS.
  if (bytes.length > LFS_THRESHOLD_BYTES) {
    throw badRequest(
      `Your push was rejected because it contains files larger than 10 MiB (${path}). Please use https://git-lfs.github.com/ to store large files.`
    )
  }
  if (looksBinary(bytes)) {
    throw badRequest(
      `Your push was rejected because it contains binary files (${path}). Please use https://huggingface.co/docs/hub/xet to store binary files.`
    )
  }
  const op: FileOp = { kind: 'file', path, content: bytes }
  if (value.oldPath !== undefined) op.oldPath = pathOf(value, where, 'oldPath')
  return op
}

function lfsFileOp(value: Record<string, unknown>, where: string): FileOp {
  const path = pathOf(value, where)
  const { oid, size, algo } = value
  if (algo !== undefined && algo !== 'sha256') throw badRequest(`${where}: algo must be "sha256"`)
  if (!str(oid) || !/^[0-9a-f]{64}$/.test(oid)) throw badRequest(`${where}: oid must be a sha256 (64 hex)`)
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw badRequest(`${where}: size must be an integer >= 0`)
  }
  const op: FileOp = { kind: 'lfsFile', path, oid, size }
  if (value.oldPath !== undefined) op.oldPath = pathOf(value, where, 'oldPath')
  return op
}

function deletionOp(
  kind: 'deletedFile' | 'deletedFolder' | 'deletedEntry',
  value: Record<string, unknown>,
  where: string
): FileOp {
  const raw = value.path
  const path = kind === 'deletedFile' ? raw : str(raw) ? raw.replace(/\/+$/, '') : raw
  if (!str(path) || !isValidPath(path)) throw badRequest(`${where}: path must be a relative path`)
  return { kind, path }
}

function header(value: Record<string, unknown>, where: string): Omit<ParsedCommit, 'ops'> {
  const { summary, description, parentCommit } = value
  if (!str(summary) || summary.trim() === '') {
    throw badRequest(`${where}: summary is required and must not be empty`)
  }
  if (description !== undefined && description !== null && !str(description)) {
    throw badRequest(`${where}: description must be a string`)
  }
  if (
    parentCommit !== undefined &&
    parentCommit !== null &&
    (!str(parentCommit) || !/^[0-9a-f]{40}$/.test(parentCommit))
  ) {
    throw badRequest(`${where}: parentCommit must be a 40-hex commit id`)
  }
  return {
    summary,
    description: str(description) ? description : '',
    parentCommit: str(parentCommit) ? parentCommit : undefined
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/**
 * NDJSON: one `{"key","value"}` object per line; the `header` line comes first and only once. Blank lines (the
 * final `\n`) are skipped. Any malformed line → 400 naming the line.
 */
export function parseNdjsonCommit(body: string): ParsedCommit {
  let head: Omit<ParsedCommit, 'ops'> | undefined
  const ops: FileOp[] = []
  const lines = body.split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') continue
    const where = `line ${index + 1}`
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      throw badRequest(`Invalid NDJSON at ${where}: not a JSON object`)
    }
    const entry = asObject(parsed)
    const value = asObject(entry?.value)
    if (entry === undefined || !str(entry.key) || value === undefined) {
      throw badRequest(`Invalid NDJSON at ${where}: expected {"key": string, "value": object}`)
    }
    if (entry.key === 'header') {
      if (head !== undefined || ops.length > 0) {
        throw badRequest(`Invalid NDJSON at ${where}: the header must be the first line, and only once`)
      }
      head = header(value, where)
      continue
    }
    if (head === undefined) throw badRequest(`Invalid NDJSON at ${where}: the first line must be the header`)
    switch (entry.key) {
      case 'file':
        ops.push(fileOp(value, where))
        break
      case 'lfsFile':
        ops.push(lfsFileOp(value, where))
        break
      case 'deletedFile':
      case 'deletedFolder':
      case 'deletedEntry':
        ops.push(deletionOp(entry.key, value, where))
        break
      default:
        throw badRequest(`Invalid NDJSON at ${where}: unknown key ${JSON.stringify(entry.key)}`)
    }
  }
  if (head === undefined)
    throw badRequest('Missing header line: the commit needs {"key":"header","value":{"summary":"..."}}')
  return { ...head, ops }
}

/**
 * The older `application/json` form: `{summary, description, parentCommit, files:[{path, content, encoding}],
 * lfsFiles:[{path, oid, size, algo}], deletedEntries:[{path}]}`. Deletions apply first, then files, then LFS files.
 */
export function parseJsonCommit(body: string): ParsedCommit {
  const json = parseJsonBody(body)
  const head = header(json, 'body')
  const list = (key: string): Record<string, unknown>[] => {
    const raw = json[key] ?? []
    if (!Array.isArray(raw)) throw badRequest(`${key} must be an array`)
    return raw.map((item, index) => {
      const value = asObject(item)
      if (value === undefined) throw badRequest(`${key}[${index}] must be an object`)
      return value
    })
  }
  const ops: FileOp[] = [
    ...list('deletedEntries').map((v, i) => deletionOp('deletedEntry', v, `deletedEntries[${i}]`)),
    ...list('files').map((v, i) => fileOp(v, `files[${i}]`)),
    ...list('lfsFiles').map((v, i) => lfsFileOp(v, `lfsFiles[${i}]`))
  ]
  return { ...head, ops }
}

function authorOf(caller: Caller): string {
  if (caller.kind === 'account') return caller.account.name
  if (caller.kind === 'minted') return caller.grant.namespace
  return 'anonymous'
}

function isTrue(value: string | null): boolean {
  return value !== null && ['1', 'true', 'True'].includes(value)
}

/**
 * `POST /api/spaces/{id}/commit/{rev}` → 200 `{"success":true,"commitOid","commitUrl","hookOutput":""}` (REC),
 * plus `pullRequestUrl` with `?create_pr=1`. `application/json` takes the older JSON form; anything else is read
 * as NDJSON. Order of checks: rights, body (400), revision (404), `parentCommit` (412), operations (404, 422).
 * A commit to main rebuilds the Space; a PR commit does not.
 */
export function commit(req: ContentRequest, target: Space | undefined, rev: string): Reply {
  const { space } = authorizeWrite(req.caller, target)
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  const parsed = contentType === 'application/json' ? parseJsonCommit(req.body) : parseNdjsonCommit(req.body)
  const ref = space.repo.refOf(rev)
  if (ref === undefined) throw revisionNotFound(rev)
  const createPr = isTrue(req.query.get('create_pr'))
  let base = space.repo.head(ref)
  if (parsed.parentCommit !== undefined && parsed.parentCommit !== base.sha) {
    const parent = space.repo.commit(parsed.parentCommit)
    // With create_pr the PR may start from an older commit; otherwise the parent must be the head.
    if (!createPr || parent === undefined) throw new ErrorReply(412, PARENT_COMMIT_CONFLICT)
    base = parent
  }
  const files = space.repo.preview(base, parsed.ops)
  const made = (onto: string): Commit =>
    space.repo.commitFiles({
      ref: onto,
      parent: base,
      files,
      title: parsed.summary,
      description: parsed.description,
      time: req.now,
      author: authorOf(req.caller)
    })
  let landed: Commit
  let pr: number | undefined
  if (createPr) {
    pr = space.repo.openPullRequest(base)
    landed = made(`refs/pr/${pr}`)
  } else {
    landed = made(ref)
    if (ref === 'main') space.commitLanded(landed, req.now)
  }
  const json: Record<string, unknown> = {
    success: true,
    commitOid: landed.sha,
    commitUrl: `${spaceWebUrl(space.id)}/commit/${landed.sha}`,
    hookOutput: ''
  }
  if (pr !== undefined) json.pullRequestUrl = `${spaceWebUrl(space.id)}/discussions/${pr}`
  return { status: 200, json }
}

// ---------------------------------------------------------------------------------------------------------------
// tree, revision

interface TreeEntry {
  path: string
  /** Sort key: directories as `path/`. */
  key: string
  json: Record<string, unknown>
}

/** A file of the tree listing and of paths-info: `{type:"file", oid, size, path, lfs?}`. */
function fileEntry(path: string, file: StoredFile): Record<string, unknown> {
  const json: Record<string, unknown> = { type: 'file', oid: blobOid(file), size: fileSize(file), path }
  if (file.lfs) {
    json.lfs = {
      oid: file.oid,
      size: file.size,
      pointerSize: Buffer.byteLength(lfsPointer(file.oid, file.size), 'utf8')
    }
  }
  return json
}

function treeEntries(commit: Commit, dir: string, recursive: boolean): TreeEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`
  const dirs = treeOids(commit.files)
  const entries: TreeEntry[] = []
  const seenDirs = new Set<string>()
  for (const [path, file] of commit.files) {
    if (!path.startsWith(prefix)) continue
    const rest = path.slice(prefix.length).split('/')
    const depthLimit = recursive ? rest.length - 1 : Math.min(1, rest.length - 1)
    for (let i = 1; i <= depthLimit; i++) {
      const sub = prefix + rest.slice(0, i).join('/')
      if (seenDirs.has(sub)) continue
      seenDirs.add(sub)
      entries.push({
        path: sub,
        key: `${sub}/`,
        json: { type: 'directory', oid: dirs.get(sub), size: 0, path: sub }
      })
    }
    if (!recursive && rest.length > 1) continue
    entries.push({ path, key: path, json: fileEntry(path, file) })
  }
  return entries.sort((a, b) => gitCompare(a.key, b.key))
}

/**
 * `GET /api/spaces/{id}/tree/{rev}[/{path}]?recursive=true|false` → `[{type:"file", oid, size, path, lfs?},
 * {type:"directory", oid, size:0, path}]` in git order, 1000 entries a page; a `Link: <…&cursor=…>; rel="next"`
 * header points at the next page; `expand=true` adds each entry's `lastCommit` and `securityFileStatus`. A path
 * that is not a directory → 404 EntryNotFound.
 */
export function tree(req: ContentRequest, target: Space | undefined, rev: string, dir: string): Reply {
  const space = authorizeRead(req.caller, target)
  const commit = commitAt(space, rev)
  const folder = dir.replace(/^\/+|\/+$/g, '')
  if (folder !== '' && !treeOids(commit.files).has(folder)) {
    throw entryNotFound(`Entry not found: ${folder} does not exist at ${rev}`)
  }
  const entries = treeEntries(commit, folder, isTrue(req.query.get('recursive')))
  const pathPart = [
    encodeURIComponent(rev),
    ...(folder === '' ? [] : folder.split('/').map(encodeURIComponent))
  ].join('/')
  const { page, headers } = cursorPage(
    entries,
    req.query,
    TREE_PAGE_SIZE,
    `${req.origin}/api/spaces/${space.id}/tree/${pathPart}`
  )
  if (isTrue(req.query.get('expand'))) {
    const history = space.repo.history(commit)
    for (const entry of page) Object.assign(entry.json, expansion(history, entry.path))
  }
  return { status: 200, json: page.map(e => e.json), headers }
}

/**
 * One page of `items` from the opaque `cursor` of the query, and the `Link: <…&cursor=…>; rel="next"` header
 * that points at the next page of `url` while items remain.
 */
export function cursorPage<T>(
  items: readonly T[],
  query: URLSearchParams,
  size: number,
  url: string
): { page: T[]; headers: Record<string, string> } {
  const cursor = query.get('cursor')
  let start = 0
  if (cursor !== null) {
    start = Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10)
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw badRequest('Invalid cursor')
  }
  const headers: Record<string, string> = {}
  if (start + size < items.length) {
    const next = new URLSearchParams(query)
    next.set('cursor', Buffer.from(String(start + size), 'utf8').toString('base64url'))
    headers.Link = `<${url}?${next.toString()}>; rel="next"`
  }
  return { page: items.slice(start, start + size), headers }
}

/** `GET /api/spaces/{id}/revision/{rev}[?expand=…]`: see revisionJson. */
export function revision(req: ContentRequest, target: Space | undefined, rev: string): Reply {
  const space = authorizeRead(req.caller, target)
  const commit = commitAt(space, rev)
  const expand = [...req.query.getAll('expand'), ...req.query.getAll('expand[]')]
  return { status: 200, json: revisionJson(space, commit, req.now, expand) }
}

// ---------------------------------------------------------------------------------------------------------------
// resolve

/**
 * `GET|HEAD /spaces/{id}/resolve/{rev}/{path}` (no `/api`): the raw bytes, LFS files included (served directly,
 * not redirected to a CDN), with `X-Repo-Commit`, `ETag: "<oid>"` (blob SHA-1, or the sha256 of LFS files, which
 * also get `X-Linked-Size` and `X-Linked-Etag`). `raw` instead of `resolve` serves an LFS file's pointer. A
 * `Range: bytes=…` header gets 206 with `Content-Range` (the JS client's fileDownloadInfo asks for `bytes=0-0`
 * and reads the size from it), or 416 when it starts past the end. Missing file → 404 EntryNotFound.
 */
export function resolveFile(
  req: ContentRequest,
  target: Space | undefined,
  rev: string,
  path: string,
  mode: 'resolve' | 'raw' = 'resolve'
): Reply {
  const space = authorizeRead(req.caller, target)
  const commit = commitAt(space, rev)
  const file = commit.files.get(path)
  if (file === undefined) throw entryNotFound('Entry not found')
  const pointer = file.lfs && mode === 'raw'
  const raw = !file.lfs
    ? file.content
    : pointer
      ? Buffer.from(lfsPointer(file.oid, file.size))
      : space.repo.lfs.get(file.oid)
  if (raw === undefined) throw entryNotFound('Entry not found')
  const etag = `"${pointer ? blobOid(file) : contentOid(file)}"`
  const headers: Record<string, string> = {
    'X-Repo-Commit': commit.sha,
    ETag: etag,
    'Accept-Ranges': 'bytes'
  }
  if (file.lfs && !pointer) {
    headers['X-Linked-Size'] = String(file.size)
    headers['X-Linked-Etag'] = etag
  }
  const contentType =
    (file.lfs && !pointer) || looksBinary(raw) ? 'application/octet-stream' : 'text/plain; charset=utf-8'
  const range = byteRange(req.headers.range, raw.length)
  if (range === 'unsatisfiable') {
    throw new ErrorReply(416, 'Requested range not satisfiable', {
      headers: { 'Content-Range': `bytes */${raw.length}` }
    })
  }
  if (range === undefined) return { status: 200, raw, contentType, headers }
  const [first, last] = range
  headers['Content-Range'] = `bytes ${first}-${last}/${raw.length}`
  return { status: 206, raw: raw.subarray(first, last + 1), contentType, headers }
}

/**
 * One `bytes=first-last`, `bytes=first-` or `bytes=-suffix` range, clamped to the content; undefined for no (or a
 * multi-part or malformed) range, which gets the whole body as servers may answer.
 */
function byteRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null || (match[1] === '' && match[2] === '')) return undefined
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0) return 'unsatisfiable'
    return [Math.max(0, size - suffix), size - 1]
  }
  const first = Number(match[1])
  const last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (first >= size) return 'unsatisfiable'
  return first > last ? undefined : [first, last]
}

// ---------------------------------------------------------------------------------------------------------------
// paths-info, commits, refs, branches (the official clients' read routes: JS pathsInfo, listCommits,
// countCommits, createBranch, deleteBranch; PY get_paths_info, list_repo_commits, list_repo_refs)

/** `lastCommit` (the newest commit of `history` that changed `path`, or anything under it) and a scan status. */
function expansion(history: readonly Commit[], path: string): Record<string, unknown> {
  const touched = (c: Commit): boolean => c.changed.some(p => p === path || p.startsWith(`${path}/`))
  const last = history.find(touched) ?? history.at(-1)!
  return {
    lastCommit: { id: last.sha, title: last.title, date: iso(last.time) },
    securityFileStatus: { status: 'unscanned' }
  }
}

/**
 * `POST /api/spaces/{id}/paths-info/{rev}` with `{"paths":[…], "expand"?}` (JS) or the form
 * `paths=…&paths=…&expand=True` (PY) → the entries that exist, as in the tree listing, in the order asked
 * (missing paths are left out).
 */
export function pathsInfo(req: ContentRequest, target: Space | undefined, rev: string): Reply {
  const space = authorizeRead(req.caller, target)
  const commit = commitAt(space, rev)
  const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  let paths: unknown
  let expand: boolean
  if (form) {
    const params = new URLSearchParams(req.body)
    paths = params.getAll('paths')
    expand = isTrue(params.get('expand'))
  } else {
    const body = parseJsonBody(req.body)
    paths = body.paths
    expand = body.expand === true
  }
  if (!Array.isArray(paths) || !paths.every(str)) throw validationError('paths must be an array of strings')
  const dirs = treeOids(commit.files)
  const history = expand ? space.repo.history(commit) : []
  const entries: Record<string, unknown>[] = []
  for (const raw of new Set(paths)) {
    const path = raw.replace(/^\/+|\/+$/g, '')
    const file = commit.files.get(path)
    const json =
      file !== undefined
        ? fileEntry(path, file)
        : path !== '' && dirs.has(path)
          ? { type: 'directory', oid: dirs.get(path), size: 0, path }
          : undefined
    if (json === undefined) continue
    entries.push(expand ? { ...json, ...expansion(history, path) } : json)
  }
  return { status: 200, json: entries }
}

/** Commits per page of the commits listing unless `limit` says otherwise. */
export const COMMITS_PAGE_SIZE = 50

/**
 * `GET /api/spaces/{id}/commits/{rev}?limit=&p=` → `[{id, title, message, authors:[{user, avatar}], date}]`,
 * newest first, `X-Total-Count` the length of the whole history (JS countCommits reads it) and a
 * `Link: <…&p=N>; rel="next"` header while pages remain.
 */
export function commits(req: ContentRequest, target: Space | undefined, rev: string): Reply {
  const space = authorizeRead(req.caller, target)
  const history = space.repo.history(commitAt(space, rev))
  const limit = pageParam(req.query.get('limit'), COMMITS_PAGE_SIZE)
  const page = pageParam(req.query.get('p'), 0)
  if (limit === undefined || limit === 0 || page === undefined)
    throw badRequest('limit and p must be integers >= 0 (limit > 0)')
  const slice = history.slice(page * limit, (page + 1) * limit)
  const headers: Record<string, string> = { 'X-Total-Count': String(history.length) }
  if ((page + 1) * limit < history.length) {
    const next = new URLSearchParams(req.query)
    next.set('p', String(page + 1))
    headers.Link = `<${req.origin}/api/spaces/${space.id}/commits/${encodeURIComponent(rev)}?${next.toString()}>; rel="next"`
  }
  const json = slice.map(c => ({
    id: c.sha,
    title: c.title,
    message: c.description === '' ? c.title : `${c.title}\n\n${c.description}`,
    authors: [{ user: c.author, avatar: avatarUrl(c.author) }],
    date: iso(c.time)
  }))
  return { status: 200, json, headers }
}

function pageParam(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback
  return /^\d+$/.test(value) ? Number(value) : undefined
}

/**
 * `GET /api/spaces/{id}/refs[?include_prs=1]` → `{"branches":[{name, ref, targetCommit}], "converts":[],
 * "tags":[]}`, plus `pullRequests` when asked (PY list_repo_refs).
 */
export function refs(req: ContentRequest, target: Space | undefined): Reply {
  const space = authorizeRead(req.caller, target)
  const { repo } = space
  const json: Record<string, unknown> = {
    branches: repo
      .branches()
      .map(name => ({ name, ref: `refs/heads/${name}`, targetCommit: repo.head(name).sha })),
    converts: [],
    tags: []
  }
  if (isTrue(req.query.get('include_prs'))) {
    json.pullRequests = [...repo.refs.keys()]
      .filter(ref => ref.startsWith('refs/pr/'))
      .map(ref => ({ name: ref.slice('refs/'.length), ref, targetCommit: repo.head(ref).sha }))
  }
  return { status: 200, json }
}

/**
 * `POST /api/spaces/{id}/branch/{name}` `{startingPoint?, overwrite?}` → 200 `{}` (from `startingPoint`, default
 * the head of main; an existing branch → 409 unless `overwrite`); `DELETE` → 200 `{}` (main → 403, missing → 404).
 * Writers only. A commit to another branch than main does not rebuild the Space.
 */
export function branch(req: ContentRequest, target: Space | undefined, name: string): Reply {
  const { space } = authorizeWrite(req.caller, target)
  if (req.method === 'DELETE') {
    if (name === 'main') throw new ErrorReply(403, 'You cannot delete the default branch')
    if (!space.repo.deleteBranch(name)) throw revisionNotFound(name)
    return { status: 200, json: {} }
  }
  if (name.startsWith('refs/') || name === 'HEAD' || !isValidPath(name))
    throw badRequest(`Invalid branch name: ${name}`)
  const body = parseJsonBody(req.body)
  if (body.emptyBranch === true) throw badRequest('The emulator does not create empty branches')
  const from = body.startingPoint ?? 'main'
  if (!str(from)) throw badRequest('startingPoint must be a revision')
  if (!space.repo.setBranch(name, commitAt(space, from), body.overwrite === true)) {
    throw new ErrorReply(409, 'Reference already exists')
  }
  return { status: 200, json: {} }
}
