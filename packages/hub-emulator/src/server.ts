/**
 * The loopback server: accepts connections, records `/api`, `/oauth` and `/__oidc` requests, applies faults, rate
 * limits, and hands the rest to the API routes, the OIDC routes or the control routes. It owns every socket and
 * timer, so close() leaves nothing behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { AppServers } from './app.js'
import { resolveCaller, type Caller } from './auth.js'
import { DEFAULT_ACCOUNTS, DEFAULT_HARDWARE, DEFAULT_OIDC } from './catalogue.js'
import { systemClock } from './clock.js'
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control.js'
import { FaultRegistry, TRUNCATED_BODY } from './faults.js'
import { HoldRegistry, type Hold, type HoldSpec } from './holds.js'
import { LFS_STORAGE_PREFIX, LfsTickets, lfsUpload } from './lfs.js'
import {
  baseHeaders,
  ErrorReply,
  JSON_TYPE,
  notFound,
  readBody,
  replyBody,
  sendReply,
  unauthorized,
  outliveClientKeepAlive,
  UsageError,
  type Reply
} from './http.js'
import {
  handleOidcIssuer,
  handleTokenExchange,
  OAUTH_PREFIX,
  OIDC_PREFIX,
  OIDC_TOKEN_PATH,
  OidcIssuer,
  TokenStore
} from './oidc.js'
import { DEFAULT_RATE_LIMIT, RateLimiter, tooManyRequests } from './ratelimit.js'
import { handleApi, handleHub } from './routes.js'
import type { ApiRequest } from './routes.js'
import { checkSpec, Space } from './spaces.js'
import type { Emulator, EmulatorOptions, FaultSpec, RecordedRequest, SpaceSpec } from './types.js'
import { spaceView } from './views.js'

/** The emulator object: the public Emulator interface plus what the control routes need. */
export type RunningEmulator = Emulator & ControlTarget

/**
 * The recorded parts of the server: the Hub's API, its OAuth endpoint, the GitHub OIDC issuer stand-in, the Hub's
 * routes outside `/api` (`/spaces/…`: LFS batch and verify, resolve), and the LFS storage stand-in (`/__lfs`).
 */
type Surface = 'api' | 'oauth' | 'oidc' | 'hub' | 'storage'

function under(prefix: string, pathname: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`)
}

function surfaceOf(pathname: string): Surface | undefined {
  if (under('/api', pathname)) return 'api'
  if (under(OAUTH_PREFIX, pathname)) return 'oauth'
  if (under(OIDC_PREFIX, pathname)) return 'oidc'
  if (under('/spaces', pathname)) return 'hub'
  if (under(LFS_STORAGE_PREFIX, pathname)) return 'storage'
  return undefined
}

/** Request bodies: commits carry base64 file contents (10 MiB a file), other requests are small. */
const COMMIT_BODY_LIMIT = 256 * 1024 * 1024
const BODY_LIMIT = 1024 * 1024

function bodyLimit(pathname: string): number {
  return /^\/api\/spaces\/[^/]+\/[^/]+\/commit\//.test(pathname) ? COMMIT_BODY_LIMIT : BODY_LIMIT
}

function isControlPath(pathname: string): boolean {
  return pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1'
  const clock = options.clock ?? systemClock
  const accounts = (options.accounts ?? DEFAULT_ACCOUNTS).map(account => ({ ...account }))
  const hardware = options.hardware ?? DEFAULT_HARDWARE
  const flavorNames = hardware.map(f => f.name)
  const { quota, windowSeconds } = options.rateLimit ?? DEFAULT_RATE_LIMIT
  const limiter = new RateLimiter(clock, quota, windowSeconds)
  const faults = new FaultRegistry()
  const holds = new HoldRegistry()
  const spaces = new Map<string, Space>()
  const issuer = new OidcIssuer(clock)
  const tokens = new TokenStore(clock)
  const lfsTickets = new LfsTickets()
  const apps = new AppServers(clock, id => spaces.get(id))
  let log: RecordedRequest[] = []
  let inFlight = 0
  let peakInFlight = 0
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let closing: Promise<void> | undefined

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that gives up in the middle of its body (the action aborting a commit) is no emulator error.
      if (req.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') res.destroy()
      else internalError(res, error)
    })
  })
  outliveClientKeepAlive(server)
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator.invalid')
    const surface = surfaceOf(url.pathname)
    // The storage stand-in streams its body (LFS objects are large); everything else is read whole.
    const body = surface === 'storage' ? '' : await readBody(req, bodyLimit(url.pathname))
    await apps.ready()
    const arrivedAt = clock.now()
    const base = baseHeaders(req, arrivedAt)
    if (isControlPath(url.pathname)) {
      sendReply(res, handleControl(method, url.pathname, body, emulator), base)
      return
    }
    if (surface === undefined) {
      sendReply(res, notFound().toReply(), base)
      return
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body,
      status: 0,
      at: arrivedAt
    }
    log.push(record)
    inFlight++
    peakInFlight = Math.max(peakInFlight, inFlight)
    res.once('close', () => inFlight--)
    const held = holds.take(method, url.pathname)
    if (held) await held
    const fault = faults.take(method, url.pathname)
    if (fault === undefined) answer(surface, req, res, record, url, base)
    else applyFault(fault, surface, req, res, record, url, base)
  }

  /**
   * The caller of an /api or /spaces request; the OAuth endpoint and the storage stand-in take no token, and the
   * issuer has its own.
   */
  function callerOf(req: IncomingMessage, surface: Surface): Caller {
    if (surface !== 'api' && surface !== 'hub') return { kind: 'anonymous' }
    return resolveCaller(req.headers.authorization, accounts, token => tokens.lookup(token))
  }

  /** The rate-limit bucket: the caller's token, or the peer address for anonymous and invalid callers. */
  function rateKey(req: IncomingMessage, caller: Caller): string {
    if (caller.kind === 'account') return `token:${caller.account.token}`
    if (caller.kind === 'minted') return `token:${caller.grant.token}`
    return `ip:${req.socket.remoteAddress ?? '?'}`
  }

  function answer(
    surface: Surface,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    url: URL,
    base: Record<string, string>
  ): void {
    if (surface === 'oidc') {
      // GitHub's endpoint: no Hub rate limit.
      const reply = attempt(() =>
        handleOidcIssuer(record.method, url, req.headers.authorization, emulator.oidc, issuer)
      )
      settle(record, reply)
      sendReply(res, reply, base)
      return
    }
    if (surface === 'storage') {
      // The S3 stand-in: no token, no Hub rate limit, no Hub headers.
      lfsUpload(req, url, lfsTickets, spaces).then(
        ({ reply, received }) => {
          record.bodySize = received
          settle(record, reply)
          sendReply(res, reply, {})
        },
        (error: unknown) => internalError(res, error)
      )
      return
    }
    if (surface === 'hub') {
      // Git LFS and resolve: not counted against the API rate limit (the Hub has other buckets for them).
      const caller = callerOf(req, surface)
      const reply = attempt(() => {
        if (caller.kind === 'invalid') throw unauthorized()
        return handleHub(apiRequest(record, url, caller), { spaces, hardware, lfsTickets })
      })
      settle(record, reply)
      sendReply(res, reply, base)
      return
    }
    const caller = callerOf(req, surface)
    const decision = limiter.consume(rateKey(req, caller))
    const reply = attempt(() => {
      if (!decision.allowed) throw tooManyRequests(decision.resetSeconds)
      if (surface === 'oauth') {
        return handleTokenExchange(record.method, url, record.body, req.headers['content-type'], {
          issuer,
          tokens,
          spaces,
          accounts,
          origin: emulator.url
        })
      }
      if (caller.kind === 'invalid') throw unauthorized()
      return handleApi(apiRequest(record, url, caller), { spaces, hardware, lfsTickets })
    })
    settle(record, reply)
    sendReply(res, reply, { ...base, ...decision.headers })
  }

  function apiRequest(record: RecordedRequest, url: URL, caller: Caller): ApiRequest {
    return {
      method: record.method,
      pathname: url.pathname,
      query: url.searchParams,
      body: record.body,
      headers: record.headers,
      caller,
      now: clock.now(),
      origin: emulator.url
    }
  }

  /** Records what a request was answered. */
  function settle(record: RecordedRequest, reply: Reply): void {
    record.status = reply.status
    const body = replyBody(reply)
    if (body !== undefined) record.responseBody = body
  }

  /** Runs a route; an ErrorReply becomes its reply, anything else propagates (500). */
  function attempt(route: () => Reply): Reply {
    try {
      return route()
    } catch (error) {
      if (!(error instanceof ErrorReply)) throw error
      return error.toReply()
    }
  }

  function applyFault(
    fault: FaultSpec,
    surface: Surface,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    url: URL,
    base: Record<string, string>
  ): void {
    const headers =
      surface === 'oidc' || surface === 'hub'
        ? base
        : surface === 'storage'
          ? {}
          : { ...base, ...limiter.peek(rateKey(req, callerOf(req, surface))).headers }
    // The storage stand-in's body is still unread: drain it unless the request is answered normally later.
    if (surface === 'storage' && fault.kind !== 'delay') req.resume()
    switch (fault.kind) {
      case 'status': {
        const reply: Reply =
          fault.body === undefined
            ? { status: fault.status, json: { error: `Emulated ${fault.status} fault` } }
            : { status: fault.status, text: fault.body, contentType: JSON_TYPE }
        reply.headers = { ...fault.headers }
        settle(record, reply)
        sendReply(res, reply, headers)
        return
      }
      case 'reset':
        req.socket.resetAndDestroy()
        return
      case 'hang':
        return
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer)
          try {
            answer(surface, req, res, record, url, base)
          } catch (error) {
            internalError(res, error)
          }
        }, fault.delayMs)
        timers.add(timer)
        return
      }
      case 'truncated': {
        const reply: Reply = { status: 200, text: TRUNCATED_BODY, contentType: JSON_TYPE }
        settle(record, reply)
        sendReply(res, reply, headers)
        return
      }
    }
  }

  function internalError(res: ServerResponse, error: unknown): void {
    if (error instanceof ErrorReply && !res.headersSent && !res.destroyed) {
      sendReply(res, error.toReply(), {})
      return
    }
    console.error('[hub-emulator] internal error:', error)
    if (!res.headersSent && !res.destroyed) {
      sendReply(res, { status: 500, json: { error: `Internal emulator error: ${String(error)}` } }, {})
    } else {
      res.destroy()
    }
  }

  function getSpace(id: string): Space {
    const space = spaces.get(id)
    if (space === undefined) throw new UsageError(404, `No Space ${id}`)
    return space
  }

  function asUsage(error: unknown): never {
    if (error instanceof UsageError) throw error
    throw new UsageError(400, (error as Error).message)
  }

  const emulator: RunningEmulator = {
    url: '',
    accounts,
    oidc: structuredClone(options.oidc ?? DEFAULT_OIDC),
    get oidcRequestUrl(): string {
      return `${emulator.url}${OIDC_TOKEN_PATH}?api-version=2.0`
    },
    addSpace(spec: SpaceSpec): void {
      try {
        checkSpec(spec, flavorNames)
        if (typeof spec.id !== 'string') throw new Error('Invalid Space spec: id is required')
        if (spaces.has(spec.id)) throw new UsageError(409, `Space ${spec.id} already exists`)
        const space = new Space(spec, clock.now())
        spaces.set(spec.id, space)
        apps.ensure(space)
      } catch (error) {
        asUsage(error)
      }
    },
    updateSpace(id: string, patch: Partial<SpaceSpec>): void {
      const space = getSpace(id)
      try {
        checkSpec(patch, flavorNames)
        space.update(patch, clock.now())
        apps.ensure(space)
      } catch (error) {
        asUsage(error)
      }
    },
    space(id: string) {
      const space = spaces.get(id)
      return space === undefined ? undefined : spaceView(space, clock.now())
    },
    secretValue(id: string, key: string): string | undefined {
      return spaces.get(id)?.secrets.get(key)?.value
    },
    spaceIds: () => [...spaces.keys()],
    requests: () => log.map(r => ({ ...r, query: { ...r.query }, headers: { ...r.headers } })),
    peakInFlight: () => peakInFlight,
    fileContent(id: string, path: string, rev: string = 'main'): Buffer | undefined {
      const space = spaces.get(id)
      const file = space?.repo.resolve(rev)?.files.get(path)
      if (space === undefined || file === undefined) return undefined
      const content = file.lfs ? space.repo.lfs.get(file.oid) : file.content
      return content === undefined ? undefined : Buffer.from(content)
    },
    appRequests: (id: string) => apps.requests(id),
    appUrl: (id: string) => apps.url(id),
    clearRequests(): void {
      log = []
      peakInFlight = inFlight
    },
    fault(f: FaultSpec): void {
      faults.add(f)
    },
    clearFaults(): void {
      faults.clear()
    },
    hold(spec: HoldSpec): Hold {
      return holds.add(spec)
    },
    close(): Promise<void> {
      closing ??= new Promise<void>(resolve => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        holds.clear()
        let pending = 2
        const done = (): void => {
          pending -= 1
          if (pending === 0) resolve()
        }
        server.close(done)
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
        apps.close().then(done, done)
      })
      return closing
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  emulator.url = `http://${formatHost(host)}:${port}`
  return emulator
}
