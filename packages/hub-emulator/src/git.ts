/**
 * The git-like content of a Space: files, commits, the head of `main` and the PR refs (`refs/pr/N`), plus the
 * Space's Git LFS object store.
 *
 * Object ids are computed the way git computes them, so clients can compare them with their own:
 *
 * - a regular file's oid is its git blob SHA-1, `sha1("blob <len>\0" + content)` (REC: the preupload `oid` of
 *   `app.py` is exactly that);
 * - an LFS file is stored in git as its pointer file; its blob oid is the pointer's, and its LFS oid the sha256
 *   of the content;
 * - directories are git trees (`<mode> <name>\0<20-byte oid>` entries in git order), commits are git commit
 *   objects over the root tree, the parent, the author line and the message.
 */
import { createHash } from 'node:crypto'
import { ErrorReply } from './http.js'

/** A file at some commit: the bytes of a regular file, or the LFS object a pointer file names. */
export type StoredFile = { lfs: false; content: Buffer } | { lfs: true; oid: string; size: number }

/** Files by path. */
export type FileTree = ReadonlyMap<string, StoredFile>

export interface Commit {
  /** 40 hex. */
  sha: string
  title: string
  description: string
  parent: string | null
  /** clock ms */
  time: number
  author: string
  /** The ref it was made on: `main` or `refs/pr/N`. */
  ref: string
  files: FileTree
  /** Paths added, modified or deleted relative to the parent, in git order. */
  changed: string[]
}

/** One change of a commit, as parsed from the NDJSON or JSON commit body. */
export type FileOp =
  | { kind: 'file'; path: string; content: Buffer; oldPath?: string }
  | { kind: 'lfsFile'; path: string; oid: string; size: number; oldPath?: string }
  | { kind: 'deletedFile'; path: string }
  | { kind: 'deletedFolder'; path: string }
  /** SPEC's generic deletion: a file, or else a folder. */
  | { kind: 'deletedEntry'; path: string }

/** Files larger than this are LFS (DOC: 10 MB; the Hub's hook says 10 MiB). */
export const LFS_THRESHOLD_BYTES = 10 * 1024 * 1024

/**
 * The `.gitattributes` the Hub commits into a new Space (and model repo): the 35 `filter=lfs` lines below, in this
 * order. Copied from a Space's default `.gitattributes` as published in public repositories (it matches the
 * model-repo template in huggingface_hub's tests). It does NOT track images or audio (`*.png`, `*.jpg`, `*.mp3`…):
 * those lines are only in the default `.gitattributes` of dataset repos. Newer model repos may add `*.lz4`; Spaces
 * do not get it.
 */
export const DEFAULT_GITATTRIBUTES = [
  '*.7z',
  '*.arrow',
  '*.bin',
  '*.bz2',
  '*.ckpt',
  '*.ftz',
  '*.gz',
  '*.h5',
  '*.joblib',
  '*.lfs.*',
  '*.mlmodel',
  '*.model',
  '*.msgpack',
  '*.npy',
  '*.npz',
  '*.onnx',
  '*.ot',
  '*.parquet',
  '*.pb',
  '*.pickle',
  '*.pkl',
  '*.pt',
  '*.pth',
  '*.rar',
  '*.safetensors',
  'saved_model/**/*',
  '*.tar.*',
  '*.tar',
  '*.tflite',
  '*.tgz',
  '*.wasm',
  '*.xz',
  '*.zip',
  '*.zst',
  '*tfevents*'
]
  .map(pattern => `${pattern} filter=lfs diff=lfs merge=lfs -text\n`)
  .join('')

/** The README of a new Space: the YAML front matter the Hub writes, then its pointer to the config reference. */
export function defaultReadme(name: string, sdk: string): string {
  return [
    '---',
    `title: ${name}`,
    'emoji: 🚀',
    'colorFrom: blue',
    'colorTo: red',
    `sdk: ${sdk}`,
    'pinned: false',
    '---',
    '',
    'Check out the configuration reference at https://huggingface.co/docs/hub/spaces-config-reference',
    ''
  ].join('\n')
}

const STATIC_INDEX = `<!doctype html>
<html>
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width" />
		<title>My static Space</title>
		<link rel="stylesheet" href="style.css" />
	</head>
	<body>
		<div class="card">
			<h1>Welcome to your static Space!</h1>
			<p>You can modify this app directly by editing <i>index.html</i> in the Files and versions tab.</p>
			<p>
				Also don't forget to check the
				<a href="https://huggingface.co/docs/hub/spaces" target="_blank">Spaces documentation</a>.
			</p>
		</div>
	</body>
</html>
`

const STATIC_STYLE = `body {
	padding: 2rem;
	font-family: -apple-system, BlinkMacSystemFont, "Arial", sans-serif;
}

h1 {
	font-size: 16px;
	margin-top: 0;
}

p {
	color: rgb(107, 114, 128);
	font-size: 15px;
	margin-bottom: 10px;
	margin-top: 5px;
}

.card {
	max-width: 620px;
	margin: 0 auto;
	padding: 16px;
	border: 1px solid lightgray;
	border-radius: 16px;
}

.card p:last-child {
	margin-bottom: 0;
}
`

/** The files of a new Space: `.gitattributes` and `README.md`, plus `index.html` and `style.css` when static. */
export function defaultFiles(name: string, sdk: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>([
    ['.gitattributes', Buffer.from(DEFAULT_GITATTRIBUTES, 'utf8')],
    ['README.md', Buffer.from(defaultReadme(name, sdk), 'utf8')]
  ])
  if (sdk === 'static') {
    files.set('index.html', Buffer.from(STATIC_INDEX, 'utf8'))
    files.set('style.css', Buffer.from(STATIC_STYLE, 'utf8'))
  }
  return files
}

// ---------------------------------------------------------------------------------------------------------------
// Hashes

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

function gitObjectSha(type: 'blob' | 'tree' | 'commit', body: Buffer): Buffer {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest()
}

/** The git blob SHA-1 of `content`: `sha1("blob <len>\0" + content)`. */
export function blobSha1(content: Buffer): string {
  return gitObjectSha('blob', content).toString('hex')
}

/** The pointer file git stores for an LFS object. */
export function lfsPointer(oid: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`
}

const blobShas = new WeakMap<StoredFile, string>()

/** The git blob oid of a stored file (for an LFS file: of its pointer). */
export function blobOid(file: StoredFile): string {
  let sha = blobShas.get(file)
  if (sha === undefined) {
    sha = blobSha1(file.lfs ? Buffer.from(lfsPointer(file.oid, file.size), 'utf8') : file.content)
    blobShas.set(file, sha)
  }
  return sha
}

/** The id a client compares with: the blob SHA-1 of a regular file, the sha256 of an LFS file. */
export function contentOid(file: StoredFile): string {
  return file.lfs ? file.oid : blobOid(file)
}

export function fileSize(file: StoredFile): number {
  return file.lfs ? file.size : file.content.length
}

/** Git order: paths compared byte by byte (a directory sorts as `name/`, which full paths already give). */
export function gitCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

export function sortedPaths(files: FileTree): string[] {
  return [...files.keys()].sort(gitCompare)
}

const treeCache = new WeakMap<FileTree, Map<string, string>>()

/** The git tree oid of every directory of `files` ('' is the root), computed bottom-up. */
export function treeOids(files: FileTree): Map<string, string> {
  const cached = treeCache.get(files)
  if (cached !== undefined) return cached
  // directory → entries (name → [mode, raw oid or the subdirectory path])
  const dirs = new Map<string, Map<string, { mode: string; blob?: Buffer; dir?: string }>>([['', new Map()]])
  for (const [path, file] of files) {
    const parts = path.split('/')
    let dir = ''
    for (const [index, part] of parts.entries()) {
      const entries = dirs.get(dir)!
      if (index === parts.length - 1) {
        entries.set(part, { mode: '100644', blob: Buffer.from(blobOid(file), 'hex') })
      } else {
        const sub = dir === '' ? part : `${dir}/${part}`
        entries.set(part, { mode: '40000', dir: sub })
        if (!dirs.has(sub)) dirs.set(sub, new Map())
        dir = sub
      }
    }
  }
  const oids = new Map<string, Buffer>()
  const depth = (dir: string): number => (dir === '' ? 0 : dir.split('/').length)
  for (const dir of [...dirs.keys()].sort((a, b) => depth(b) - depth(a))) {
    const entries = [...dirs.get(dir)!.entries()].sort(([a, x], [b, y]) =>
      gitCompare(x.dir === undefined ? a : `${a}/`, y.dir === undefined ? b : `${b}/`)
    )
    const body = Buffer.concat(
      entries.map(([name, entry]) =>
        Buffer.concat([Buffer.from(`${entry.mode} ${name}\0`, 'utf8'), entry.blob ?? oids.get(entry.dir!)!])
      )
    )
    oids.set(dir, gitObjectSha('tree', body))
  }
  const result = new Map([...oids].map(([dir, oid]) => [dir, oid.toString('hex')]))
  treeCache.set(files, result)
  return result
}

function commitSha(init: {
  tree: string
  parent: string | null
  author: string
  time: number
  title: string
  description: string
}): string {
  const seconds = Math.floor(init.time / 1000)
  const person = `${init.author} <${init.author}@users.noreply.huggingface.co> ${seconds} +0000`
  const message = init.description === '' ? `${init.title}\n` : `${init.title}\n\n${init.description}\n`
  const text = [
    `tree ${init.tree}`,
    ...(init.parent === null ? [] : [`parent ${init.parent}`]),
    `author ${person}`,
    `committer ${person}`,
    '',
    message
  ].join('\n')
  return gitObjectSha('commit', Buffer.from(text, 'utf8')).toString('hex')
}

// ---------------------------------------------------------------------------------------------------------------
// .gitattributes and .gitignore

/** A gitignore/gitattributes glob as a RegExp over the repo-relative path. */
export function globRegExp(pattern: string): RegExp {
  let glob = pattern
  const anchored = glob.includes('/')
  if (glob.startsWith('/')) glob = glob.slice(1)
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/'
      if (atStart && glob[i + 2] === '/') {
        out += '(?:.*/)?'
        i += 2
      } else if (atStart && i + 2 === glob.length) {
        out += '.*'
        i += 1
      } else {
        out += '[^/]*'
        i += 1
      }
    } else if (c === '*') {
      out += '[^/]*'
    } else if (c === '?') {
      out += '[^/]'
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2)
      if (close === -1) {
        out += '\\['
      } else {
        let inner = glob.slice(i + 1, close)
        if (inner.startsWith('!')) inner = `^${inner.slice(1)}`
        out += `[${inner.replace(/\\/g, '\\\\')}]`
        i = close
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += glob[i + 1]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      i += 1
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    }
  }
  return new RegExp(anchored ? `^${out}$` : `^(?:.*/)?${out}$`)
}

/**
 * Whether `.gitattributes` content puts `path` under `filter=lfs`. Lines are `pattern attr…`; the last matching
 * line that sets or unsets `filter` wins. Comments, macros (`[attr]`) and negated patterns are skipped.
 */
export function isLfsTracked(gitattributes: string, path: string): boolean {
  let tracked = false
  for (const raw of gitattributes.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('[attr]') || line.startsWith('!')) continue
    const [pattern, ...attrs] = line.split(/\s+/)
    if (pattern === undefined || pattern.endsWith('/') || !globRegExp(pattern).test(path)) continue
    for (const attr of attrs) {
      if (attr === 'filter=lfs') tracked = true
      else if (attr === '-filter' || attr === '!filter' || attr.startsWith('filter=')) tracked = false
    }
  }
  return tracked
}

/**
 * Whether `.gitignore` content ignores `path`. Supported: blank lines and `#` comments, `!` negation, a trailing
 * `/` (directories only), patterns with a `/` anchored at the root, patterns without one matching at any depth,
 * `*`, `?`, `[…]` and `**`. The last matching pattern wins; a file inside an ignored directory is ignored.
 * Only the root `.gitignore` is read.
 */
export function isIgnored(gitignore: string, path: string): boolean {
  const rules = gitignore
    .split(/\r?\n/)
    .map(line => line.replace(/(?<!\\)\s+$/, ''))
    .filter(line => line !== '' && !line.startsWith('#'))
    .map(line => {
      const negate = line.startsWith('!')
      let pattern = negate ? line.slice(1) : line
      const dirOnly = pattern.endsWith('/')
      if (dirOnly) pattern = pattern.slice(0, -1)
      return { negate, dirOnly, regex: globRegExp(pattern) }
    })
  if (rules.length === 0) return false
  const decide = (candidate: string, isDir: boolean): boolean => {
    let ignored = false
    for (const rule of rules) {
      if (rule.dirOnly && !isDir) continue
      if (rule.regex.test(candidate)) ignored = !rule.negate
    }
    return ignored
  }
  const parts = path.split('/')
  for (let i = 1; i < parts.length; i++) {
    if (decide(parts.slice(0, i).join('/'), true)) return true
  }
  return decide(path, false)
}

/** Whether the first bytes of a file look binary (a NUL byte, as git and the Hub decide). */
export function looksBinary(sample: Buffer): boolean {
  return sample.subarray(0, 512).includes(0)
}

/**
 * Whether a file goes to LFS: never when empty; otherwise when `.gitattributes` tracks it, when its first 512
 * bytes contain a NUL byte, or when it is larger than 10 MiB.
 */
export function needsLfs(path: string, size: number, sample: Buffer, gitattributes: string): boolean {
  if (size === 0) return false
  return isLfsTracked(gitattributes, path) || looksBinary(sample) || size > LFS_THRESHOLD_BYTES
}

/** A repo-relative file path the Hub accepts: no leading `/`, no empty, `.` or `..` segment, nothing under `.git/`. */
export function isValidPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.endsWith('/')) return false
  const parts = path.split('/')
  return parts.every(p => p !== '' && p !== '.' && p !== '..') && parts[0] !== '.git'
}

// ---------------------------------------------------------------------------------------------------------------
// The repository

export class GitRepo {
  /** Every commit, in the order it was made (main and PR refs). */
  readonly commits: Commit[] = []
  /** `main` and `refs/pr/N` → commit sha. */
  readonly refs = new Map<string, string>()
  /** The Git LFS store: sha256 → content. */
  readonly lfs = new Map<string, Buffer>()
  private readonly bySha = new Map<string, Commit>()
  private prCount = 0

  /** A repository whose `main` holds one initial commit of `files` (`sha` overrides the computed commit id). */
  constructor(init: { files: FileTree; time: number; author: string; title?: string; sha?: string }) {
    this.record({
      ref: 'main',
      parent: null,
      files: init.files,
      time: init.time,
      author: init.author,
      title: init.title ?? 'initial commit',
      description: '',
      ...(init.sha === undefined ? {} : { sha: init.sha })
    })
  }

  /** A copy of `main`'s history and LFS objects (duplicate). */
  static copyOf(source: GitRepo): GitRepo {
    const main = source.head('main')
    const [first, ...rest] = source.history(main).reverse()
    const repo = new GitRepo({
      files: first!.files,
      time: first!.time,
      author: first!.author,
      title: first!.title,
      sha: first!.sha
    })
    for (const c of rest) {
      repo.commits.push({ ...c, ref: 'main' })
      repo.bySha.set(c.sha, repo.commits.at(-1)!)
    }
    repo.refs.set('main', main.sha)
    for (const file of main.files.values()) {
      if (file.lfs) {
        const content = source.lfs.get(file.oid)
        if (content !== undefined) repo.lfs.set(file.oid, content)
      }
    }
    return repo
  }

  head(ref: string = 'main'): Commit {
    return this.bySha.get(this.refs.get(ref)!)!
  }

  /**
   * A branch (`main`, `refs/heads/main`, `HEAD`: the default branch, which the JS client's spaceInfo asks for),
   * `refs/pr/N`, or a full commit sha; undefined when unknown.
   */
  resolve(rev: string): Commit | undefined {
    const sha = this.refs.get(refName(rev))
    if (sha !== undefined) return this.bySha.get(sha)
    return /^[0-9a-f]{40}$/.test(rev) ? this.bySha.get(rev) : undefined
  }

  /** The ref a revision names, when it is a branch or PR ref (commits on a bare sha are refused). */
  refOf(rev: string): string | undefined {
    const ref = refName(rev)
    return this.refs.has(ref) ? ref : undefined
  }

  /** The branches (`refs/pr/N` excluded), `main` first. */
  branches(): string[] {
    return [...this.refs.keys()].filter(ref => !ref.startsWith('refs/pr/'))
  }

  /** Points a new (or, with `overwrite`, an existing) branch at `target`; false when it exists already. */
  setBranch(name: string, target: Commit, overwrite: boolean): boolean {
    if (this.refs.has(name) && !overwrite) return false
    this.refs.set(name, target.sha)
    return true
  }

  deleteBranch(name: string): boolean {
    return this.refs.delete(name)
  }

  /** `commit` and its ancestors, newest first (git log). */
  history(commit: Commit): Commit[] {
    const out: Commit[] = []
    for (let c: Commit | undefined = commit; c !== undefined;) {
      out.push(c)
      c = c.parent === null ? undefined : this.bySha.get(c.parent)
    }
    return out
  }

  commit(sha: string): Commit | undefined {
    return this.bySha.get(sha)
  }

  /** A new `refs/pr/N` (N = 1, 2, …) pointing at `base`; answers N. */
  openPullRequest(base: Commit): number {
    this.prCount += 1
    this.refs.set(`refs/pr/${this.prCount}`, base.sha)
    return this.prCount
  }

  get pullRequestCount(): number {
    return this.prCount
  }

  /**
   * The files `ops` make of `base`'s. Throws the Hub's errors: 404 EntryNotFound for deleting (or renaming) a
   * missing path, 422 for an `lfsFile` whose object is not in the LFS store with that size.
   */
  preview(base: Commit, ops: readonly FileOp[]): Map<string, StoredFile> {
    const files = new Map(base.files)
    for (const op of ops) applyOp(files, op, this.lfs)
    return files
  }

  /**
   * Records a commit of `files` on top of `parent` and moves `ref` to it. A commit that changes nothing is still
   * made (the Hub does so).
   */
  commitFiles(init: {
    ref: string
    parent: Commit
    files: FileTree
    title: string
    description: string
    time: number
    author: string
  }): Commit {
    const { parent, ...rest } = init
    return this.record({ ...rest, parent: parent.sha })
  }

  private record(init: {
    ref: string
    parent: string | null
    files: FileTree
    time: number
    author: string
    title: string
    description: string
    sha?: string
  }): Commit {
    const parentFiles = init.parent === null ? new Map() : this.bySha.get(init.parent)!.files
    const sha =
      init.sha ??
      commitSha({
        tree: treeOids(init.files).get('')!,
        parent: init.parent,
        author: init.author,
        time: init.time,
        title: init.title,
        description: init.description
      })
    let commit = this.bySha.get(sha)
    if (commit === undefined) {
      commit = {
        sha,
        title: init.title,
        description: init.description,
        parent: init.parent,
        time: init.time,
        author: init.author,
        ref: init.ref,
        files: init.files,
        changed: changedPaths(parentFiles, init.files)
      }
      this.commits.push(commit)
      this.bySha.set(sha, commit)
    }
    this.refs.set(init.ref, sha)
    return commit
  }
}

function changedPaths(before: FileTree, after: FileTree): string[] {
  const paths = new Set([...before.keys(), ...after.keys()])
  return [...paths]
    .filter(path => {
      const a = before.get(path)
      const b = after.get(path)
      return a === undefined || b === undefined || blobOid(a) !== blobOid(b)
    })
    .sort(gitCompare)
}

/** `refs/heads/X` → `X`; `HEAD` → `main`, the only default branch the emulator has. */
function refName(rev: string): string {
  if (rev === 'HEAD') return 'main'
  return rev.startsWith('refs/heads/') ? rev.slice('refs/heads/'.length) : rev
}

export function entryNotFound(message: string): ErrorReply {
  return new ErrorReply(404, message, { code: 'EntryNotFound' })
}

function moveFrom(files: Map<string, StoredFile>, oldPath: string | undefined): void {
  if (oldPath === undefined) return
  if (!files.delete(oldPath)) throw entryNotFound(`A file with this name doesn't exist: ${oldPath}`)
}

function applyOp(files: Map<string, StoredFile>, op: FileOp, lfs: ReadonlyMap<string, Buffer>): void {
  switch (op.kind) {
    case 'file':
      moveFrom(files, op.oldPath)
      files.set(op.path, { lfs: false, content: op.content })
      return
    case 'lfsFile': {
      const stored = lfs.get(op.oid)
      if (stored === undefined || stored.length !== op.size) {
        throw new ErrorReply(
          422,
          `LFS object ${op.oid} (${op.size} bytes) for ${op.path} was not found in the LFS storage: upload it with the LFS batch API before committing`
        )
      }
      moveFrom(files, op.oldPath)
      files.set(op.path, { lfs: true, oid: op.oid, size: op.size })
      return
    }
    case 'deletedFile':
      if (!files.delete(op.path)) throw entryNotFound("A file with this name doesn't exist")
      return
    case 'deletedFolder':
      if (!deleteFolder(files, op.path)) throw entryNotFound("A folder with this name doesn't exist")
      return
    case 'deletedEntry':
      if (!files.delete(op.path) && !deleteFolder(files, op.path)) {
        throw entryNotFound("A file with this name doesn't exist")
      }
      return
  }
}

function deleteFolder(files: Map<string, StoredFile>, folder: string): boolean {
  const prefix = folder.replace(/\/+$/, '') + '/'
  let deleted = false
  for (const path of [...files.keys()]) {
    if (path.startsWith(prefix)) deleted = files.delete(path) || deleted
  }
  return deleted
}
