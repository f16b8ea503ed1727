/**
 * Plans and makes the one commit that uploads a folder: preupload decides inline or LFS, unchanged files are skipped
 * by comparing hashes with the oids the Hub reports, remote files are deleted only where `delete` patterns allow, and
 * what the Space needs but the folder lacks (its `.gitattributes`, the README front matter) is kept. The commit body
 * is streamed, a file at a time, so memory stays bounded whatever the folder's size.
 */
import { ActionError } from '../../errors.js'
import { mapInParallel, inParallel } from '../../parallel.js'
import { encodeBase64Into } from './base64.js'
import type { ContentApi } from '../../hub/content.js'
import { isNotFound } from '../../hub/errors.js'
import type { CommitResult } from '../../hub/types.js'
import type { Logger } from '../../logger.js'
import {
  blobSha1,
  gitBlobSha1,
  openChecked,
  patternMatcher,
  giveBack,
  pieces,
  readText,
  readSmall,
  takeBuffer,
  READ_CHUNK_BYTES,
  sample,
  sha256,
  walkFolder,
  type LocalFile
} from './files.js'

export interface UploadOptions {
  spaceId: string
  folder: string
  pathInRepo: string
  ignore: string[]
  deletePatterns: string[]
  createPr: boolean
  log: Logger
}

export interface PlannedCommit {
  inline: { file: LocalFile; content?: string }[]
  lfs: { file: LocalFile; oid: string }[]
  deletions: string[]
  unchanged: number
  ignoredByRepo: number
  /** The head the plan was made against: the commit is refused if it moved. */
  parentCommit: string | null
}

/** Paths at the root of the Space that a mirror never deletes: the Space needs them and the folder may lack them. */
const PROTECTED = new Set(['.gitattributes', 'README.md'])
/**
 * Files read (sampled or hashed) at once: enough to keep the disk and the hash busy while one read waits; each lane
 * holds one stream buffer, so memory stays bounded whatever the folder's size.
 */
const HASH_LANES = 8
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/

export async function planCommit(content: ContentApi, options: UploadOptions): Promise<PlannedCommit> {
  const { spaceId, pathInRepo, createPr } = options
  const prefix = pathInRepo.replace(/^\/+|\/+$/g, '')
  const walk = await walkFolder(options.folder, prefix, options.ignore, text => options.log.warn(text))
  const { files } = walk
  const attributes = files.find(f => f.path === '.gitattributes')
  const samples = await mapInParallel(files, HASH_LANES, sample)
  // The files the Hub will most likely send through LFS are hashed while it is asked, not after it answers.
  const likely = files.filter((file, i) => likelyLfs(file, samples[i] as Buffer))
  const early = mapInParallel(likely, HASH_LANES, file => sha256(file).catch(() => undefined))
  const pre = await content.preupload(
    spaceId,
    files.map((file, i) => ({
      path: file.path,
      sample: (samples[i] as Buffer).toString('base64'),
      size: file.size
    })),
    attributes ? await readText(attributes) : undefined,
    createPr
  )
  const remote = new Map(pre.files.map(f => [f.path, f]))
  const earlyOids = new Map((await early).map((oid, i) => [likely[i] as LocalFile, oid]))

  const plan: PlannedCommit = {
    inline: [],
    lfs: [],
    deletions: [],
    unchanged: 0,
    ignoredByRepo: 0,
    parentCommit: pre.commitOid
  }
  // The preupload answer decides which hash each file needs; files are hashed a few at a time, in folder order.
  const verdicts = await mapInParallel(files, HASH_LANES, async file => {
    const verdict = remote.get(file.path)
    if (verdict?.shouldIgnore) return { kind: 'ignored' as const }
    if (verdict?.uploadMode === 'lfs') {
      const oid = earlyOids.get(file) ?? (await sha256(file))
      return oid === verdict.oid ? { kind: 'unchanged' as const } : { kind: 'lfs' as const, oid }
    }
    const readme = file.path === 'README.md' ? await withSpaceFrontMatter(content, spaceId, file) : undefined
    const inline = { kind: 'inline' as const, ...(readme === undefined ? {} : { content: readme }) }
    // A path the Space lacks has no oid to compare with: the file goes inline unhashed.
    if (!verdict?.oid) return inline
    const oid = readme === undefined ? await gitBlobSha1(file) : blobSha1(readme)
    return oid === verdict.oid ? { kind: 'unchanged' as const } : inline
  })
  files.forEach((file, i) => {
    const verdict = verdicts[i]
    if (verdict?.kind === 'ignored') plan.ignoredByRepo++
    else if (verdict?.kind === 'unchanged') plan.unchanged++
    else if (verdict?.kind === 'lfs') plan.lfs.push({ file, oid: verdict.oid })
    else if (verdict?.kind === 'inline')
      plan.inline.push(verdict.content === undefined ? { file } : { file, content: verdict.content })
  })

  if (options.deletePatterns.length) {
    const deletable = patternMatcher(options.deletePatterns)
    for (const path of await listRemote(content, spaceId, prefix)) {
      const relative = prefix ? path.slice(prefix.length + 1) : path
      // Whatever is in the folder stays, ignored or not: `delete` only removes what the folder lacks.
      if (!walk.has(path) && !PROTECTED.has(path) && deletable(relative)) plan.deletions.push(path)
    }
  }
  return plan
}

/** Where the Hub sends a file through LFS whatever its content (docs/hub-api.md §10.1: 10 MB). */
const LFS_SIZE = 10_000_000

/**
 * Whether the Hub will most likely want `file` through LFS: it is large, or its first bytes hold a NUL, which text
 * never does. A wrong guess costs one hash, never a wrong upload: the Hub's answer decides.
 */
function likelyLfs(file: LocalFile, sample: Buffer): boolean {
  return file.size >= LFS_SIZE || sample.includes(0)
}

/** The remote files under `prefix`; none when `path-in-repo` does not exist in the Space yet. */
async function listRemote(content: ContentApi, spaceId: string, prefix: string): Promise<string[]> {
  try {
    return await content.listFiles(spaceId, prefix)
  } catch (error) {
    // The Space exists (preupload just answered): a 404 on the tree means the folder is not there yet.
    if (prefix && isNotFound(error)) return []
    throw error
  }
}

/**
 * A README without front matter would wipe the Space's configuration (sdk, title, …): keep the Space's own front
 * matter on top of it. Undefined when the file can go as it is.
 */
async function withSpaceFrontMatter(
  content: ContentApi,
  spaceId: string,
  file: LocalFile
): Promise<string | undefined> {
  const local = await readText(file)
  if (FRONT_MATTER.test(local)) return undefined
  const remote = await content.readText(spaceId, 'README.md')
  const front = remote ? FRONT_MATTER.exec(remote)?.[0] : undefined
  return front ? front + local : undefined
}

export interface CommitText {
  summary: string
  description: string
}

/** Uploads the LFS objects (a few at a time), then sends the commit. */
export async function makeCommit(
  content: ContentApi,
  options: UploadOptions,
  plan: PlannedCommit,
  text: CommitText
): Promise<CommitResult> {
  const { spaceId, createPr } = options
  if (plan.lfs.length) {
    const objects = await content.lfsBatch(
      spaceId,
      plan.lfs.map(({ oid, file }) => ({ oid, size: file.size })),
      createPr
    )
    const refused = objects.find(o => o.error)
    if (refused)
      throw new ActionError(
        'bad-request',
        `The Hub refused an LFS upload (${refused.oid}): ${refused.error ?? ''}`
      )
    const byOid = new Map(plan.lfs.map(entry => [entry.oid, entry.file]))
    const pending = objects.filter(o => o.upload)
    options.log.info(
      `Uploading ${pending.length} large or binary file(s) through Git LFS (${objects.length - pending.length} already stored).`
    )
    await inParallel(pending, 4, async object => {
      const file = byOid.get(object.oid)
      if (!file || !object.upload) return
      // One checked descriptor for every attempt: a retry re-reads the same file from its start.
      const handle = await openChecked(file)
      try {
        await content.lfsUpload(object.upload, file.size, () =>
          handle.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES })
        )
      } finally {
        await handle.close()
      }
      if (object.verify) await content.lfsVerify(object.verify, object.oid, file.size)
    })
  }
  // A file that fails its check while the body streams surfaces as a broken request: report the file instead.
  let unreadable: unknown
  async function* body(): AsyncGenerator<Buffer> {
    try {
      yield* commitBody(plan, text)
    } catch (error) {
      unreadable = error
      throw error
    }
  }
  try {
    return await content.commit(spaceId, body, createPr)
  } catch (error) {
    throw unreadable ?? error
  }
}

/** Chunks of the commit body handed to the socket: large writes, not one per line or per read. */
const BODY_CHUNK_BYTES = 1024 * 1024
/** Inline files read ahead of the encoder: opening and reading the next ones hides behind encoding this one. */
const READ_AHEAD_FILES = 8

/**
 * The NDJSON commit body, in chunks of a megabyte: file contents are read a few files ahead and base64-encoded
 * straight into the chunk being filled, so the socket gets a few large writes instead of thousands of small ones,
 * and memory holds the read-ahead and the chunks in flight, whatever the folder's size.
 */
export async function* commitBody(plan: PlannedCommit, text: CommitText): AsyncGenerator<Buffer> {
  const out = new Chunks()
  const header = {
    summary: text.summary,
    description: text.description,
    ...(plan.parentCommit ? { parentCommit: plan.parentCommit } : {})
  }
  yield* out.text(`${JSON.stringify({ key: 'header', value: header })}\n`)
  for await (const { file, bytes } of readAhead(plan.inline)) {
    yield* out.text('{"key":"file","value":{"content":"')
    if (bytes) yield* out.base64(bytes)
    else yield* streamBase64(out, file)
    yield* out.text(`","path":${JSON.stringify(file.path)},"encoding":"base64"}}\n`)
  }
  for (const { file, oid } of plan.lfs) {
    yield* out.text(
      `${JSON.stringify({ key: 'lfsFile', value: { path: file.path, algo: 'sha256', oid, size: file.size } })}\n`
    )
  }
  for (const path of plan.deletions)
    yield* out.text(`${JSON.stringify({ key: 'deletedFile', value: { path } })}\n`)
  yield* out.end()
}

/** A large file's base64, read a piece at a time: every piece but the last is a multiple of 3 bytes long. */
async function* streamBase64(out: Chunks, file: LocalFile): AsyncGenerator<Buffer> {
  const buffer = takeBuffer()
  try {
    for await (const piece of pieces(file, buffer)) yield* out.base64(piece)
  } finally {
    giveBack(buffer)
  }
}

/**
 * The inline files in order, each with its bytes when it is small enough to read whole (read READ_AHEAD_FILES files
 * ahead, into pooled buffers given back once the file is encoded), or without them when it must be streamed.
 */
async function* readAhead(
  inline: PlannedCommit['inline']
): AsyncGenerator<{ file: LocalFile; bytes?: Buffer | undefined }> {
  // Started in order, taken in order: a queue.
  const reads: Promise<{ bytes?: Buffer; buffer?: Buffer }>[] = []
  let started = 0
  for (const [i, { file }] of inline.entries()) {
    for (; started < inline.length && started - i < READ_AHEAD_FILES; started++) {
      const read = readEntry(inline[started] as PlannedCommit['inline'][number])
      // Awaited in its turn; until then a failure must not count as unhandled.
      read.catch(() => undefined)
      reads.push(read)
    }
    const { bytes, buffer } = await (reads.shift() as Promise<{ bytes?: Buffer; buffer?: Buffer }>)
    try {
      yield { file, bytes }
    } finally {
      if (buffer) giveBack(buffer)
    }
  }
}

async function readEntry({
  file,
  content
}: PlannedCommit['inline'][number]): Promise<{ bytes?: Buffer; buffer?: Buffer }> {
  if (content !== undefined) return { bytes: Buffer.from(content) }
  if (file.size > READ_CHUNK_BYTES) return {}
  const buffer = takeBuffer()
  return { bytes: await readSmall(file, buffer), buffer }
}

/** Fills megabyte chunks with body text; each method yields the chunks it filled. */
class Chunks {
  private chunk = Buffer.allocUnsafe(BODY_CHUNK_BYTES)
  private used = 0;

  /** Any text (paths may be UTF-8): encoded, then copied in, split wherever a chunk ends. */
  *text(value: string): Generator<Buffer> {
    const bytes = Buffer.from(value)
    for (let from = 0; from < bytes.length;) {
      const copied = bytes.copy(this.chunk, this.used, from)
      from += copied
      yield* this.advance(copied)
    }
  }

  /** Base64 of `bytes`, encoded into the chunks; its length must be a multiple of 3 unless it ends a file. */
  *base64(bytes: Buffer): Generator<Buffer> {
    for (let from = 0; from < bytes.length;) {
      // Whole groups: 3 bytes in, 4 characters out.
      const groups = Math.min((BODY_CHUNK_BYTES - this.used) >> 2, Math.ceil((bytes.length - from) / 3))
      const to = Math.min(bytes.length, from + groups * 3)
      this.used = encodeBase64Into(bytes, from, to, this.chunk, this.used)
      from = to
      if (BODY_CHUNK_BYTES - this.used < 4) yield* this.flush()
    }
  }

  *end(): Generator<Buffer> {
    if (this.used) yield this.chunk.subarray(0, this.used)
  }

  private *advance(bytes: number): Generator<Buffer> {
    this.used += bytes
    if (this.used === BODY_CHUNK_BYTES) yield* this.flush()
  }

  private *flush(): Generator<Buffer> {
    yield this.chunk.subarray(0, this.used)
    this.chunk = Buffer.allocUnsafe(BODY_CHUNK_BYTES)
    this.used = 0
  }
}
