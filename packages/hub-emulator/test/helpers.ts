/** Shared helpers for the emulator's own tests: real HTTP on 127.0.0.1 through Node's fetch. */
import { request as httpRequest } from 'node:http'

export const TOKENS = {
  acme: 'hf_emulator_acme_write_0123456789',
  reader: 'hf_emulator_reader_read_0123456789',
  outsider: 'hf_emulator_outsider_write_0123456789',
  broke: 'hf_emulator_broke_write_0123456789',
  finegrained: 'hf_emulator_finegrained_read_0123456789'
} as const

export interface CallOptions {
  token?: string
  /** A JSON value (serialised) or a raw string. */
  body?: unknown
  headers?: Record<string, string>
}

export interface CallResult {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['Content-Type'] ??= 'application/json'
  }
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = body
  const response = await fetch(`${baseUrl}${path}`, init)
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** A JSON object from a call, for property access in assertions. */
export function obj(result: CallResult): Record<string, unknown> {
  return result.json as Record<string, unknown>
}

/** The payload of a JWT (no verification). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/** The runtime of a Space through the HTTP API (as the owner). */
export async function runtimeOf(baseUrl: string, id: string, token: string = TOKENS.acme) {
  const result = await call(baseUrl, 'GET', `/api/spaces/${id}/runtime`, { token })
  return result.json as {
    stage: string
    hardware: { current: string | null; requested: string | null }
  } & Record<string, unknown>
}

/**
 * Sends a request with node:http and resolves with how it ended: a status, or the socket error. Used where fetch
 * would hide the difference between a reset and other failures.
 */
export function rawRequest(
  url: string,
  method = 'GET'
): Promise<{ status?: number; error?: NodeJS.ErrnoException }> {
  return new Promise(resolve => {
    const req = httpRequest(url, { method, agent: false }, res => {
      res.resume()
      res.on('end', () => resolve({ ...(res.statusCode === undefined ? {} : { status: res.statusCode }) }))
    })
    req.on('error', error => resolve({ error }))
    req.end()
  })
}

/** Waits, without a fixed sleep, until `condition` holds (polls on each turn of the event loop, up to 5 s). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise(resolve => setImmediate(resolve))
  }
}
