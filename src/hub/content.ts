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
import type { HubClient } from './client.js'
import { ActionError } from '../errors.js'
import { repoPath, spacePath } from './spaces.js'

export interface PreuploadFile {
  path: string
  uploadMode: 'regular' | 'lfs'
  shouldIgnore: boolean
  /** Present when the path exists: the git blob SHA-1 (regular) or sha256 (LFS) of its current content. */
  oid: string | null
}

export interface LfsAction {
  href: string
  header: Record<string, string>
}

export interface LfsObject {
  oid: string
  size: number
  upload?: LfsAction
  verify?: LfsAction
  error?: string
}

export interface CommitResult {
  commitOid: string
  commitUrl: string
  pullRequestUrl: string | null
}

const LFS_TYPE = 'application/vnd.git-lfs+json'
/** PY sends 256 paths per preupload, JS 100, and SPEC allows 1000. */
const PREUPLOAD_BATCH = 250

export class ContentApi {
  constructor(readonly client: HubClient) {}

  /** Which files go inline and which through LFS, which the repo ignores, and the oids of those that exist. */
  async preupload(
    spaceId: string,
    files: { path: string; sample: string; size: number }[],
    gitAttributes: string | undefined,
    createPr: boolean
  ): Promise<{ files: PreuploadFile[]; commitOid: string | null }> {
    const result: PreuploadFile[] = []
    let commitOid: string | null = null
    for (let start = 0; start < files.length; start += PREUPLOAD_BATCH) {
      const answer = object(
        await this.client.json({
          method: 'POST',
          path: spacePath(spaceId, '/preupload/main'),
          ...(createPr ? { query: { create_pr: '1' } } : {}),
          json: {
            files: files.slice(start, start + PREUPLOAD_BATCH),
            ...(gitAttributes ? { gitAttributes } : {})
          },
          retry: 'idempotent'
        }),
        'preupload answer'
      )
      commitOid = typeof answer.commitOid === 'string' ? answer.commitOid : commitOid
      for (const entry of Array.isArray(answer.files) ? answer.files : []) {
        const file = entry as Record<string, unknown>
        if (typeof file.path !== 'string') continue
        result.push({
          path: file.path,
          uploadMode: file.uploadMode === 'lfs' ? 'lfs' : 'regular',
          shouldIgnore: file.shouldIgnore === true,
          oid: typeof file.oid === 'string' ? file.oid : null
        })
      }
    }
    return { files: result, commitOid }
  }

  /** Asks where to upload LFS objects; objects the Hub already has come back without an upload action. */
  async lfsBatch(
    spaceId: string,
    objects: { oid: string; size: number }[],
    createPr: boolean
  ): Promise<LfsObject[]> {
    const answer = object(
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
      }),
      'LFS batch answer'
    )
    return (Array.isArray(answer.objects) ? answer.objects : []).map(entry => {
      const item = entry as Record<string, unknown>
      const actions = (item.actions ?? {}) as Record<string, unknown>
      const error = item.error as { message?: unknown } | undefined
      return {
        oid: String(item.oid),
        size: Number(item.size),
        ...(lfsAction(actions.upload) ? { upload: lfsAction(actions.upload) } : {}),
        ...(lfsAction(actions.verify) ? { verify: lfsAction(actions.verify) } : {}),
        ...(error ? { error: typeof error.message === 'string' ? error.message : 'refused' } : {})
      } as LfsObject
    })
  }

  /** PUTs the content to the storage URL. Never with the Hub token: the URL carries its own authorization. */
  async lfsUpload(action: LfsAction, size: number, content: () => Readable): Promise<void> {
    await this.client.json({
      method: 'PUT',
      path: action.href,
      auth: false,
      headers: { ...action.header, 'content-length': String(size) },
      contentType: 'application/octet-stream',
      body: content,
      retry: 'idempotent',
      textOk: true
    })
  }

  async lfsVerify(action: LfsAction, oid: string, size: number): Promise<void> {
    await this.client.json({
      method: 'POST',
      path: action.href,
      headers: { ...action.header, accept: LFS_TYPE },
      contentType: LFS_TYPE,
      body: () => JSON.stringify({ oid, size }),
      retry: 'idempotent',
      textOk: true
    })
  }

  /**
   * One commit, its NDJSON body streamed line by line from `lines` (made afresh if the call is repeated).
   * With `parentCommit` the Hub refuses a commit on a head that moved, so a repeat cannot commit twice.
   */
  async commit(
    spaceId: string,
    lines: () => AsyncIterable<string>,
    createPr: boolean
  ): Promise<CommitResult> {
    const answer = object(
      await this.client.json({
        method: 'POST',
        path: spacePath(spaceId, '/commit/main'),
        ...(createPr ? { query: { create_pr: '1' } } : {}),
        contentType: 'application/x-ndjson',
        body: () => Readable.from(lines()),
        retry: 'unsent'
      }),
      'commit answer'
    )
    if (typeof answer.commitOid !== 'string') throw malformed('commit answer', answer)
    return {
      commitOid: answer.commitOid,
      commitUrl: typeof answer.commitUrl === 'string' ? answer.commitUrl : '',
      pullRequestUrl: typeof answer.pullRequestUrl === 'string' ? answer.pullRequestUrl : null
    }
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
      for (const entry of Array.isArray(page.body) ? page.body : []) {
        const item = entry as Record<string, unknown>
        if (item.type === 'file' && typeof item.path === 'string') paths.push(item.path)
      }
      next = page.next
    }
    return paths
  }

  /** A file's text at the head of main, or undefined when it does not exist. */
  async readText(spaceId: string, filePath: string): Promise<string | undefined> {
    try {
      const body = await this.client.json({
        method: 'GET',
        path: repoPath(spaceId, `/resolve/main/${filePath.split('/').map(encodeURIComponent).join('/')}`),
        retry: 'idempotent',
        raw: true
      })
      return typeof body === 'string' ? body : ''
    } catch (error) {
      if (error instanceof ActionError && error.status === 404) return undefined
      throw error
    }
  }
}

function lfsAction(value: unknown): LfsAction | undefined {
  const action = value as { href?: unknown; header?: unknown } | undefined
  if (!action || typeof action.href !== 'string') return undefined
  return { href: action.href, header: (action.header ?? {}) as Record<string, string> }
}

function object(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed(what, body)
  return body as Record<string, unknown>
}

function malformed(what: string, body: unknown): ActionError {
  return new ActionError(
    'bad-response',
    `The Hub answered with an unexpected ${what}: ${JSON.stringify(body)?.slice(0, 200)}`
  )
}
