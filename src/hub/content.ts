/**
 * The Hub's content endpoints for uploading to a Space (docs/hub-api.md §10): preupload, Git LFS batch, upload
 * and verify, the NDJSON commit, the file tree and raw files.
 *
 * Why not `@huggingface/hub`'s `commit()`: it reads every inline (non-LFS) file whole and joins them, base64-encoded,
 * into one commit body in memory (1.3–1.6 GB RSS for 200 MB of text in our spike), where this action must keep memory
 * bounded; it also ignores preupload's `oid` and `shouldIgnore`, so it cannot skip unchanged files, and its lazy chunks
 * break ncc's licenses.txt. The protocol it would save us is these few calls.
 */
import { Readable } from 'node:stream'
import { ActionError } from '../errors.js'
import { mapInParallel } from '../parallel.js'
import type { HubClient } from './client.js'
import { isNotFound } from './errors.js'
import { repoPath, spacePath } from './spaces.js'
import {
  parseCommitResult,
  parseLfsBatch,
  parsePreupload,
  parseTreeFiles,
  type CommitResult,
  type LfsAction,
  type LfsObject,
  type PreuploadFile
} from './types.js'

const LFS_TYPE = 'application/vnd.git-lfs+json'
/** PY sends 256 paths per preupload, JS 100, and SPEC allows 1000. */
const PREUPLOAD_BATCH = 250
const PREUPLOAD_LANES = 4

export class ContentApi {
  constructor(readonly client: HubClient) {}

  /** Which files go inline and which through LFS, which the repo ignores, and the oids of those that exist. */
  async preupload(
    spaceId: string,
    files: { path: string; sample: string; size: number }[],
    gitAttributes: string | undefined,
    createPr: boolean
  ): Promise<{ files: PreuploadFile[]; commitOid: string | null }> {
    const starts = Array.from(
      { length: Math.ceil(files.length / PREUPLOAD_BATCH) },
      (_, i) => i * PREUPLOAD_BATCH
    )
    // Read-only questions, so a few go at once.
    const answers = await mapInParallel(starts, PREUPLOAD_LANES, async start =>
      parsePreupload(
        await this.client.json({
          method: 'POST',
          path: spacePath(spaceId, '/preupload/main'),
          ...(createPr ? { query: { create_pr: '1' } } : {}),
          json: {
            files: files.slice(start, start + PREUPLOAD_BATCH),
            ...(gitAttributes ? { gitAttributes } : {})
          },
          retry: 'idempotent'
        })
      )
    )
    const heads = new Set(answers.map(answer => answer.commitOid).filter(oid => oid !== null))
    // Answers judged against different heads cannot say which files changed: the plan would be wrong.
    if (heads.size > 1)
      throw new ActionError(
        'bad-request',
        `Someone committed to ${spaceId} while this step compared the folder with it.`,
        'Re-run the step.'
      )
    return { files: answers.flatMap(answer => answer.files), commitOid: [...heads][0] ?? null }
  }

  /** Asks where to upload LFS objects; objects the Hub already has come back without an upload action. */
  async lfsBatch(
    spaceId: string,
    objects: { oid: string; size: number }[],
    createPr: boolean
  ): Promise<LfsObject[]> {
    return parseLfsBatch(
      await this.client.json({
        method: 'POST',
        path: repoPath(spaceId, '.git/info/lfs/objects/batch'),
        headers: { accept: LFS_TYPE },
        contentType: LFS_TYPE,
        body: () =>
          JSON.stringify({
            operation: 'upload',
            transfers: ['basic'],
            hash_algo: 'sha256',
            ...(createPr ? {} : { ref: { name: 'main' } }),
            objects
          }),
        retry: 'idempotent'
      })
    )
  }

  /** PUTs the content to the storage URL. Never with the Hub token: the URL carries its own authorization. */
  async lfsUpload(action: LfsAction, size: number, content: () => Readable): Promise<void> {
    // Storage answers with anything, or nothing: the status is what counts.
    await this.client.text({
      method: 'PUT',
      path: action.href,
      auth: false,
      headers: { ...action.header, 'content-length': String(size) },
      contentType: 'application/octet-stream',
      body: content,
      retry: 'idempotent'
    })
  }

  async lfsVerify(action: LfsAction, oid: string, size: number): Promise<void> {
    await this.client.text({
      method: 'POST',
      path: action.href,
      headers: { ...action.header, accept: LFS_TYPE },
      contentType: LFS_TYPE,
      body: () => JSON.stringify({ oid, size }),
      retry: 'idempotent'
    })
  }

  /**
   * One commit, its NDJSON body streamed from `body` (made afresh if the call is repeated).
   * With `parentCommit` the Hub refuses a commit on a head that moved, so a repeat cannot commit twice.
   */
  async commit(spaceId: string, body: () => AsyncIterable<Buffer>, createPr: boolean): Promise<CommitResult> {
    return parseCommitResult(
      await this.client.json({
        method: 'POST',
        path: spacePath(spaceId, '/commit/main'),
        ...(createPr ? { query: { create_pr: '1' } } : {}),
        contentType: 'application/x-ndjson',
        // Two chunks read ahead of the socket are enough to keep it busy; more would only hold memory.
        body: () => Readable.from(body()),
        retry: 'unsent'
      })
    )
  }

  /** Every file path under `folder` in the Space (recursive; follows the `Link: rel="next"` pages). */
  async listFiles(spaceId: string, folder: string): Promise<string[]> {
    const paths: string[] = []
    const suffix = folder ? `/${folder.split('/').map(encodeURIComponent).join('/')}` : ''
    let next: string | null = `${spacePath(spaceId, `/tree/main${suffix}`)}?recursive=true`
    while (next) {
      const page: { body: unknown; next: string | null } = await this.client.page({
        method: 'GET',
        path: next,
        retry: 'idempotent'
      })
      paths.push(...parseTreeFiles(page.body))
      next = page.next
    }
    return paths
  }

  /** A file's text at the head of main, or undefined when it does not exist. */
  async readText(spaceId: string, filePath: string): Promise<string | undefined> {
    try {
      return await this.client.text({
        method: 'GET',
        path: repoPath(spaceId, `/resolve/main/${filePath.split('/').map(encodeURIComponent).join('/')}`),
        retry: 'idempotent'
      })
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }
}
