/**
 * Plans and makes the one commit that uploads a folder: preupload decides inline or LFS, unchanged files are skipped
 * by comparing hashes with the oids the Hub reports, remote files are deleted only where `delete` patterns allow, and
 * what the Space needs but the folder lacks (its `.gitattributes`, the README front matter) is kept. The commit body
 * is streamed, a file at a time, so memory stays bounded whatever the folder's size.
 */
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { ActionError } from '../../errors.js'
import type { ContentApi, CommitResult } from '../../hub/content.js'
import { blobSha1, gitBlobSha1, patternMatcher, sample, sha256, walkFolder, type LocalFile } from './files.js'

export interface UploadOptions {
  spaceId: string
  folder: string
  pathInRepo: string
  ignore: string[]
  deletePatterns: string[]
  createPr: boolean
  info: (line: string) => void
  warn: (line: string) => void
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
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/

export async function planCommit(content: ContentApi, options: UploadOptions): Promise<PlannedCommit> {
  const { spaceId, pathInRepo, createPr } = options
  const prefix = pathInRepo.replace(/^\/+|\/+$/g, '')
  const files = await walkFolder(options.folder, prefix, options.ignore, options.warn)
  const attributes = files.find(f => f.path === '.gitattributes')
  const samples = []
  for (const file of files) samples.push({ path: file.path, sample: await sample(file), size: file.size })
  const pre = await content.preupload(
    spaceId,
    samples,
    attributes ? await readFile(attributes.source, 'utf8') : undefined,
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
  for (const file of files) {
    const verdict = remote.get(file.path)
    if (verdict?.shouldIgnore) {
      plan.ignoredByRepo++
      continue
    }
    if (verdict?.uploadMode === 'lfs') {
      const oid = await sha256(file)
      if (oid === verdict.oid) plan.unchanged++
      else plan.lfs.push({ file, oid })
      continue
    }
    const readme = file.path === 'README.md' ? await withSpaceFrontMatter(content, spaceId, file) : undefined
    const oid = readme === undefined ? await gitBlobSha1(file) : blobSha1(readme)
    if (oid === verdict?.oid) plan.unchanged++
    else plan.inline.push(readme === undefined ? { file } : { file, content: readme })
  }

  if (options.deletePatterns.length) {
    const deletable = patternMatcher(options.deletePatterns)
    const local = new Set(files.map(f => f.path))
    for (const path of await content.listFiles(spaceId, prefix)) {
      const relative = prefix ? path.slice(prefix.length + 1) : path
      if (!local.has(path) && !PROTECTED.has(path) && deletable(relative)) plan.deletions.push(path)
    }
  }
  return plan
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
  const local = await readFile(file.source, 'utf8')
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
    options.info(
      `Uploading ${pending.length} large or binary file(s) through Git LFS (${objects.length - pending.length} already stored).`
    )
    await inParallel(pending, 4, async object => {
      const file = byOid.get(object.oid)
      if (!file || !object.upload) return
      await content.lfsUpload(object.upload, file.size, () => createReadStream(file.source))
      if (object.verify) await content.lfsVerify(object.verify, object.oid, file.size)
    })
  }
  return content.commit(spaceId, () => commitLines(plan, text), createPr)
}

/** The NDJSON commit body, a line (and a file) at a time; file contents are base64-encoded as they are read. */
export async function* commitLines(plan: PlannedCommit, text: CommitText): AsyncGenerator<string> {
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
  for await (const chunk of createReadStream(file.source, { highWaterMark: 3 * 64 * 1024 })) {
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
