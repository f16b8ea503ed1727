/**
 * Git LFS (contract §10.3), basic transfer only:
 *
 * - `POST /spaces/{ns}/{name}.git/info/lfs/objects/batch` (no `/api`): writers; answers `transfer: "basic"` with
 *   an upload and a verify action for each object the Space's LFS store lacks, and no actions for the others.
 *   Never `xet` (the action does not need Xet, §10.4), never multipart.
 * - `PUT /__lfs/upload/<oid>?sig=<hmac>`: the stand-in for the presigned S3 URL. It takes no Authorization (it
 *   ignores one, and the request log shows whether one was sent), streams the body through sha256, and stores the
 *   object when the hash and the size match the batch request.
 * - `POST /spaces/{ns}/{name}.git/info/lfs/objects/verify` `{oid, size}`: writers; 200 when stored, else 404.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { authorizeWrite } from './auth.js'
import type { ContentRequest } from './content.js'
import { ErrorReply, parseJsonBody, type Reply } from './http.js'
import type { Space } from './spaces.js'

export const LFS_CONTENT_TYPE = 'application/vnd.git-lfs+json'
export const LFS_STORAGE_PREFIX = '/__lfs'
export const LFS_UPLOAD_PREFIX = `${LFS_STORAGE_PREFIX}/upload/`

const OID_PATTERN = /^[0-9a-f]{64}$/

interface Ticket {
  spaceId: string
  oid: string
  size: number
}

/** Upload URLs handed out by the batch endpoint: `sig` is an HMAC of the Space, the oid and the size. */
export class LfsTickets {
  private readonly key = randomBytes(32)
  private readonly tickets = new Map<string, Ticket>()

  issue(ticket: Ticket): string {
    const sig = createHmac('sha256', this.key)
      .update(`${ticket.spaceId}\n${ticket.oid}\n${ticket.size}`)
      .digest('hex')
    this.tickets.set(sig, ticket)
    return sig
  }

  find(sig: string | null): Ticket | undefined {
    return sig === null ? undefined : this.tickets.get(sig)
  }
}

function lfsJson(status: number, body: unknown): Reply {
  return { status, text: JSON.stringify(body), contentType: LFS_CONTENT_TYPE }
}

/** Whether the Space's LFS store holds `oid` with `size` bytes. */
function stored(space: Space, oid: string, size: number): boolean {
  return space.repo.lfs.get(oid)?.length === size
}

/**
 * The batch API. The request must be `{"operation":"upload","objects":[{oid,size}],"transfers"?,
 * "hash_algo"?: "sha256"|"sha_256","ref"?}`; a malformed request → 422, another hash algorithm → 409 (the git-lfs
 * spec's statuses; Hub-style `{"error"}` bodies). An object with a bad oid or size gets an `error` entry
 * `{code: 422, message}` inside the 200.
 */
export function lfsBatch(req: ContentRequest, target: Space | undefined, tickets: LfsTickets): Reply {
  const { space } = authorizeWrite(req.caller, target)
  const body = parseJsonBody(req.body)
  const { operation, objects, transfers, hash_algo: hashAlgo } = body
  if (operation !== 'upload') {
    throw new ErrorReply(422, 'operation must be "upload": the emulator does not serve LFS downloads')
  }
  if (!Array.isArray(objects)) throw new ErrorReply(422, 'objects must be an array of {oid, size}')
  if (transfers !== undefined && !(Array.isArray(transfers) && transfers.every(t => typeof t === 'string'))) {
    throw new ErrorReply(422, 'transfers must be an array of strings')
  }
  if (hashAlgo !== undefined && hashAlgo !== 'sha256' && hashAlgo !== 'sha_256') {
    throw new ErrorReply(409, `Unsupported hash algorithm ${JSON.stringify(hashAlgo)}: use sha256`)
  }
  const verifyHref = `${req.origin}/spaces/${space.id}.git/info/lfs/objects/verify`
  const answers = objects.map((raw: unknown) => {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
    const { oid, size } = o
    if (
      typeof oid !== 'string' ||
      !OID_PATTERN.test(oid) ||
      typeof size !== 'number' ||
      !Number.isInteger(size) ||
      size < 0
    ) {
      return {
        oid,
        size,
        error: { code: 422, message: 'oid must be a sha256 (64 hex) and size an integer >= 0' }
      }
    }
    if (stored(space, oid, size)) return { oid, size, authenticated: true }
    const sig = tickets.issue({ spaceId: space.id, oid, size })
    return {
      oid,
      size,
      authenticated: true,
      actions: {
        upload: { href: `${req.origin}${LFS_UPLOAD_PREFIX}${oid}?sig=${sig}`, header: {} },
        verify: { href: verifyHref, header: {} }
      }
    }
  })
  return lfsJson(200, { transfer: 'basic', objects: answers })
}

/** `POST …/objects/verify` `{oid, size}` → 200 `{}` when stored with that size, else 404. */
export function lfsVerify(req: ContentRequest, target: Space | undefined): Reply {
  const { space } = authorizeWrite(req.caller, target)
  const { oid, size } = parseJsonBody(req.body)
  if (
    typeof oid !== 'string' ||
    !OID_PATTERN.test(oid) ||
    typeof size !== 'number' ||
    !Number.isInteger(size)
  ) {
    throw new ErrorReply(422, 'Expected {"oid": sha256, "size": integer}')
  }
  if (!stored(space, oid, size)) throw new ErrorReply(404, `Object ${oid} (${size} bytes) not found`)
  return lfsJson(200, {})
}

function s3Error(status: number, code: string, message: string): Reply {
  return {
    status,
    text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    contentType: 'application/xml'
  }
}

/**
 * `PUT /__lfs/upload/<oid>?sig=…`: an unknown or mismatched signature (or another method) → 403
 * SignatureDoesNotMatch, a body whose sha256 or size differs from the batch request → 400 BadDigest, a Space
 * deleted since → 404 NoSuchBucket; else 200 with an S3-style `ETag` (the body's MD5) and no body. The body is
 * hashed as it streams in; bytes past the announced size are counted, not kept.
 */
export async function lfsUpload(
  req: IncomingMessage,
  url: URL,
  tickets: LfsTickets,
  spaces: ReadonlyMap<string, Space>
): Promise<{ reply: Reply; received: number }> {
  const oid = url.pathname.slice(LFS_UPLOAD_PREFIX.length)
  const ticket = tickets.find(url.searchParams.get('sig'))
  if (!url.pathname.startsWith(LFS_UPLOAD_PREFIX) || req.method !== 'PUT' || ticket?.oid !== oid) {
    req.resume()
    return {
      reply: s3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.'
      ),
      received: 0
    }
  }
  const sha256 = createHash('sha256')
  const md5 = createHash('md5')
  const chunks: Buffer[] = []
  let received = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length
    sha256.update(chunk)
    md5.update(chunk)
    if (received <= ticket.size) chunks.push(chunk)
  }
  const digest = sha256.digest('hex')
  if (received !== ticket.size || digest !== oid) {
    return {
      reply: s3Error(
        400,
        'BadDigest',
        `The body (${received} bytes, sha256 ${digest}) does not match the object (${ticket.size} bytes, sha256 ${oid}).`
      ),
      received
    }
  }
  const space = spaces.get(ticket.spaceId)
  if (space === undefined) {
    return { reply: s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'), received }
  }
  space.repo.lfs.set(oid, Buffer.concat(chunks))
  return { reply: { status: 200, headers: { ETag: `"${md5.digest('hex')}"` } }, received }
}
