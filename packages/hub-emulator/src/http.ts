/**
 * HTTP plumbing shared by the API and control routes: the reply type, Hub-style errors and the headers every
 * response carries (request id, X-Powered-By, exposed headers, ETag).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/** What a route hands back; the server turns it into bytes. */
export interface Reply {
  status: number
  /** Serialised with JSON.stringify as `application/json; charset=utf-8`. */
  json?: unknown
  /** A raw body, sent with `contentType`. */
  text?: string
  /** A binary body, sent with `contentType` (default application/octet-stream). */
  raw?: Buffer
  contentType?: string
  headers?: Record<string, string>
}

/** The Access-Control-Expose-Headers value recorded in 2025-03 (REC). */
export const EXPOSE_HEADERS =
  'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Xet-Access-Token,X-Xet-Token-Expiration,X-Xet-Refresh-Route,X-Xet-Cas-Url,X-Xet-Hash'

export const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * How long an idle keep-alive connection stays open: well past any client's own idle timeout (undici keeps a
 * socket for the server's `Keep-Alive: timeout` hint minus a margin). With Node's default of 5 s, a test that
 * blocked the event loop for longer (a big deep comparison under load) had the server close a socket at the
 * moment the client reused it: ECONNRESET. Close() still destroys every socket at once.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000

/** Lets idle connections outlive the client's keep-alive (see KEEP_ALIVE_TIMEOUT_MS). */
export function outliveClientKeepAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
}

/**
 * A Hub error answer: `{"error": message, ...extra}`, usually with the message repeated in X-Error-Message.
 * `extra` keys follow `error` (the 409 of repos/create has `url`).
 */
export class ErrorReply extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly options: {
      code?: string
      errorMessageHeader?: boolean
      headers?: Record<string, string>
      extra?: Record<string, unknown>
    } = {}
  ) {
    super(message)
  }

  toReply(): Reply {
    const headers: Record<string, string> = { ...this.options.headers }
    if (this.options.code !== undefined) headers['X-Error-Code'] = this.options.code
    // Header values must be Latin-1: anything else (a path in the message…) is replaced.
    if (this.options.errorMessageHeader !== false) {
      headers['X-Error-Message'] = this.message.replace(/[^\x20-\x7e]/g, '?')
    }
    return { status: this.status, json: { error: this.message, ...this.options.extra }, headers }
  }
}

/** An OAuth error (`/oauth/token`): 400 `{"error": code, "error_description": description}`. */
export class OAuthError extends ErrorReply {
  constructor(
    readonly code: 'invalid_request' | 'invalid_grant',
    readonly description: string
  ) {
    super(400, description)
  }

  override toReply(): Reply {
    return { status: 400, json: { error: this.code, error_description: this.description } }
  }
}

export const INVALID_CREDENTIALS = 'Invalid username or password.'

export function unauthorized(): ErrorReply {
  return new ErrorReply(401, INVALID_CREDENTIALS)
}

/** What an anonymous caller gets for a private or missing repo. */
export function unauthorizedRepo(): ErrorReply {
  return new ErrorReply(401, INVALID_CREDENTIALS, { code: 'RepoNotFound' })
}

export function repoNotFound(): ErrorReply {
  return new ErrorReply(404, 'Repository not found', { code: 'RepoNotFound' })
}

export function badRequest(message: string): ErrorReply {
  return new ErrorReply(400, message)
}

export function notFound(): ErrorReply {
  return new ErrorReply(404, 'Not Found', { errorMessageHeader: false })
}

export function paymentRequired(message: string): ErrorReply {
  return new ErrorReply(402, message)
}

/**
 * `Root=1-<8 hex seconds>-<24 hex>`, like the Hub's load balancer; when the client sent `X-Amzn-Trace-Id` (as
 * huggingface_hub does) it is appended after a `;`, as in REC.
 */
export function requestId(nowMs: number, traceId: string | undefined): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8)
  const root = `Root=1-${seconds}-${randomBytes(12).toString('hex')}`
  return traceId ? `${root};${traceId}` : root
}

/** A weak ETag in the format of the Hub's (Express) server: W/"<length hex>-<sha1 base64, 27 chars>". */
export function weakEtag(body: Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27)
  return `W/"${body.length.toString(16)}-${hash}"`
}

/** Headers on every response, API or control. */
export function baseHeaders(req: IncomingMessage, nowMs: number): Record<string, string> {
  const trace = req.headers['x-amzn-trace-id']
  return {
    'X-Powered-By': 'huggingface-moon',
    'X-Request-Id': requestId(nowMs, typeof trace === 'string' ? trace : undefined),
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
    Vary: 'Origin'
  }
}

/** Merges header maps left to right; names compare case-insensitively and the last value wins. */
export function mergeHeaders(...maps: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged = new Map<string, [string, string]>()
  for (const map of maps) {
    for (const [name, value] of Object.entries(map ?? {})) merged.set(name.toLowerCase(), [name, value])
  }
  return Object.fromEntries(merged.values())
}

/** The body of a reply as sent (binary bodies decoded as UTF-8), or undefined when it has none. */
export function replyBody(reply: Reply): string | undefined {
  if (reply.json !== undefined) return JSON.stringify(reply.json)
  return reply.raw !== undefined ? reply.raw.toString('utf8') : reply.text
}

/** Writes a reply. `extra` headers (rate limit, request id…) come first; the reply's own headers win. */
export function sendReply(res: ServerResponse, reply: Reply, extra: Record<string, string>): void {
  const text = reply.raw === undefined ? replyBody(reply) : undefined
  const body = reply.raw ?? (text === undefined ? undefined : Buffer.from(text, 'utf8'))
  const bodyHeaders: Record<string, string> = {}
  if (body !== undefined && reply.json !== undefined) {
    bodyHeaders['Content-Type'] = JSON_TYPE
    bodyHeaders.ETag = weakEtag(body)
  } else if (reply.raw !== undefined) {
    bodyHeaders['Content-Type'] = reply.contentType ?? 'application/octet-stream'
  } else if (body !== undefined) {
    bodyHeaders['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8'
  }
  if (body !== undefined) bodyHeaders['Content-Length'] = String(body.length)
  res.writeHead(reply.status, mergeHeaders(extra, bodyHeaders, reply.headers))
  res.end(body)
}

/** Reads the whole request body as UTF-8, up to `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new ErrorReply(413, 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Parses a JSON request body; an empty body is `{}`. */
export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw badRequest('Invalid JSON body')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Expected a JSON object body')
  }
  return parsed as Record<string, unknown>
}

/** A misuse of the emulator's own API (bad spec, unknown Space…); `status` is what the control route answers. */
export class UsageError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string
  ) {
    super(message)
  }
}
