/**
 * The loopback server: accepts connections, records `/api` requests, applies faults, rate limits, and hands the
 * rest to the API routes or the control routes. It owns every socket and timer, so close() leaves nothing behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { resolveCaller } from './auth.js'
import { DEFAULT_ACCOUNTS, DEFAULT_HARDWARE } from './catalogue.js'
import { systemClock } from './clock.js'
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control.js'
import { FaultRegistry, MALFORMED_BODY } from './faults.js'
import {
  baseHeaders,
  HubError,
  JSON_TYPE,
  notFound,
  readBody,
  sendReply,
  unauthorized,
  UsageError,
  type Reply
} from './http.js'
import { DEFAULT_RATE_LIMIT, RateLimiter, tooManyRequests } from './ratelimit.js'
import { handleApi } from './routes.js'
import { checkSpec, Space } from './spaces.js'
import type { Emulator, EmulatorOptions, FaultSpec, RecordedRequest, SpaceSpec } from './types.js'
import { spaceView } from './views.js'

/** The emulator object: the public Emulator interface plus what the control routes need. */
export type RunningEmulator = Emulator & ControlTarget

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/')
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
  const spaces = new Map<string, Space>()
  let log: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let closing: Promise<void> | undefined

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => internalError(res, error))
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator.invalid')
    const body = await readBody(req)
    const arrivedAt = clock.now()
    const base = baseHeaders(req, arrivedAt)
    if (isControlPath(url.pathname)) {
      sendReply(res, handleControl(method, url.pathname, body, emulator), base)
      return
    }
    if (!isApiPath(url.pathname)) {
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
    const fault = faults.take(method, url.pathname)
    if (fault === undefined) answerApi(req, res, record, url, base)
    else applyFault(fault, req, res, record, url, base)
  }

  /** The rate-limit bucket: the account's token, or the peer address for anonymous and invalid callers. */
  function rateKey(
    req: IncomingMessage,
    caller = resolveCaller(req.headers.authorization, accounts)
  ): string {
    return caller.kind === 'account'
      ? `token:${caller.account.token}`
      : `ip:${req.socket.remoteAddress ?? '?'}`
  }

  function answerApi(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    url: URL,
    base: Record<string, string>
  ): void {
    const caller = resolveCaller(req.headers.authorization, accounts)
    const decision = limiter.consume(rateKey(req, caller))
    let reply: Reply
    try {
      if (!decision.allowed) throw tooManyRequests(decision.resetSeconds)
      if (caller.kind === 'invalid') throw unauthorized()
      reply = handleApi(
        {
          method: record.method,
          pathname: url.pathname,
          query: url.searchParams,
          body: record.body,
          caller,
          now: clock.now()
        },
        { spaces, hardware }
      )
    } catch (error) {
      if (!(error instanceof HubError)) throw error
      reply = error.toReply()
    }
    record.status = reply.status
    sendReply(res, reply, { ...base, ...decision.headers })
  }

  function applyFault(
    fault: FaultSpec,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    url: URL,
    base: Record<string, string>
  ): void {
    const headers = { ...base, ...limiter.peek(rateKey(req)).headers }
    switch (fault.kind) {
      case 'status': {
        record.status = fault.status
        const reply: Reply =
          fault.body === undefined
            ? { status: fault.status, json: { error: `Emulated ${fault.status} fault` } }
            : { status: fault.status, text: fault.body, contentType: JSON_TYPE }
        reply.headers = { ...fault.headers }
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
            answerApi(req, res, record, url, base)
          } catch (error) {
            internalError(res, error)
          }
        }, fault.delayMs)
        timers.add(timer)
        return
      }
      case 'malformed':
        record.status = 200
        sendReply(res, { status: 200, text: MALFORMED_BODY, contentType: JSON_TYPE }, headers)
        return
    }
  }

  function internalError(res: ServerResponse, error: unknown): void {
    if (error instanceof HubError && !res.headersSent && !res.destroyed) {
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
    addSpace(spec: SpaceSpec): void {
      try {
        checkSpec(spec, flavorNames)
        if (typeof spec.id !== 'string') throw new Error('Invalid Space spec: id is required')
        if (spaces.has(spec.id)) throw new UsageError(409, `Space ${spec.id} already exists`)
        spaces.set(spec.id, new Space(spec, clock.now()))
      } catch (error) {
        asUsage(error)
      }
    },
    updateSpace(id: string, patch: Partial<SpaceSpec>): void {
      const space = getSpace(id)
      try {
        checkSpec(patch, flavorNames)
        space.update(patch, clock.now())
      } catch (error) {
        asUsage(error)
      }
    },
    space(id: string) {
      const space = spaces.get(id)
      return space === undefined ? undefined : spaceView(space, clock.now())
    },
    spaceIds: () => [...spaces.keys()],
    requests: () => log.map(r => ({ ...r, query: { ...r.query }, headers: { ...r.headers } })),
    clearRequests(): void {
      log = []
    },
    fault(f: FaultSpec): void {
      faults.add(f)
    },
    clearFaults(): void {
      faults.clear()
    },
    close(): Promise<void> {
      closing ??= new Promise<void>(resolve => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
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
