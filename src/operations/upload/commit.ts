/**
 * Plans and makes the one commit that uploads a folder: preupload decides inline or LFS, unchanged files are skipped
 * by comparing hashes with the oids the Hub reports, remote files are deleted only where `delete` patterns allow, and
 * what the Space needs but the folder lacks (its `.gitattributes`, the README front matter) is kept. The commit body
 * is streamed, a file at a time, so memory stays bounded whatever the folder's size.
 */
import { ActionError } from '../../errors.js'
import type { ContentApi } from '../../hub/content.js'
import { isNotFound } from '../../hub/errors.js'
import type { CommitResult } from '../../hub/types.js'
import type { Logger } from '../../logger.js'
import {
  blobSha1,
  gitBlobSha1,
  openChecked,
  patternMatcher,
  readChecked,
  readText,
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
  const samples = await mapInParallel(files, HASH_LANES, async file => ({
    path: file.path,
    sample: await sample(file),
    size: file.size
  }))
  const pre = await content.preupload(
    spaceId,
    samples,
    attributes ? await readText(attributes) : undefined,
    createPr
  )
  const remote = new Map(pre.files.map(f => [f.path, f]))

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
      const oid = await sha256(file)
      return oid === verdict.oid ? { kind: 'unchanged' as const } : { kind: 'lfs' as const, oid }
    }
    const readme = file.path === 'README.md' ? await withSpaceFrontMatter(content, spaceId, file) : undefined
    const oid = readme === undefined ? await gitBlobSha1(file) : blobSha1(readme)
    if (oid === verdict?.oid) return { kind: 'unchanged' as const }
    return { kind: 'inline' as const, ...(readme === undefined ? {} : { content: readme }) }
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
          handle.createReadStream({ start: 0, autoClose: false })
        )
      } finally {
        await handle.close()
      }
      if (object.verify) await content.lfsVerify(object.verify, object.oid, file.size)
    })
  }
  // A file that fails its check while the body streams surfaces as a broken request: report the file instead.
  let unreadable: unknown
  async function* lines(): AsyncGenerator<string> {
    try {
      yield* commitLines(plan, text)
    } catch (error) {
      unreadable = error
      throw error
    }
  }
  try {
    return await content.commit(spaceId, lines, createPr)
  } catch (error) {
    throw unreadable ?? error
  }
}

/** Chunks of the commit body handed to the socket: large writes, not one per line or per read. */
const BODY_CHUNK_CHARS = 1024 * 1024

/**
 * The NDJSON commit body, in chunks of about a megabyte; file contents are base64-encoded as they are read. Small
 * pieces (a line's head, a file's tail) are joined so the socket gets a few large writes instead of thousands of
 * small ones, each of which cost a turn of the stream machinery.
 */
export async function* commitLines(plan: PlannedCommit, text: CommitText): AsyncGenerator<string> {
  let parts: string[] = []
  let length = 0
  for await (const part of commitPieces(plan, text)) {
    parts.push(part)
    length += part.length
    if (length >= BODY_CHUNK_CHARS) {
      yield parts.join('')
      parts = []
      length = 0
    }
  }
  if (parts.length) yield parts.join('')
}

async function* commitPieces(plan: PlannedCommit, text: CommitText): AsyncGenerator<string> {
  const header = {
    summary: text.summary,
    description: text.description,
    ...(plan.parentCommit ? { parentCommit: plan.parentCommit } : {})
  }
  yield `${JSON.stringify({ key: 'header', value: header })}\n`
  for (const { file, content } of plan.inline) {
    yield '{"key":"file","value":{"content":"'
    if (content !== undefined) yield Buffer.from(content).toString('base64')
    else yield* base64Of(file)
    yield `","path":${JSON.stringify(file.path)},"encoding":"base64"}}\n`
  }
  for (const { file, oid } of plan.lfs) {
    yield `${JSON.stringify({ key: 'lfsFile', value: { path: file.path, algo: 'sha256', oid, size: file.size } })}\n`
  }
  for (const path of plan.deletions) yield `${JSON.stringify({ key: 'deletedFile', value: { path } })}\n`
}

/** Base64 of a file, streamed: bytes are carried over so every chunk but the last is a multiple of three. */
async function* base64Of(file: LocalFile): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0)
  for await (const chunk of await readChecked(file, 3 * 64 * 1024)) {
    const bytes = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
    const whole = bytes.length - (bytes.length % 3)
    yield bytes.subarray(0, whole).toString('base64')
    carry = bytes.subarray(whole)
  }
  if (carry.length) yield carry.toString('base64')
}

/** Runs `work` on every item, at most `limit` at once. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T)
  })
  await Promise.all(lanes)
}

/** `work` over every item, `limit` at a time, results in the items' order. */
async function mapInParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  const indexes = items.map((_, i) => i)
  await inParallel(indexes, limit, async i => {
    results[i] = await work(items[i] as T)
  })
  return results
}
