/**
 * Reading the tail of a Space log from the server-sent-events endpoint. The Hub keeps the stream open and
 * sends keep-alives, so reading stops when the stream ends, when it goes quiet, or at a hard deadline.
 * Events are one line each (`data: {"data": "...", "timestamp": "..."}`), with or without blank lines between them.
 */
import type { Readable } from 'node:stream'
import type { HubClient } from './client.js'
import { parseLogEvent } from './types.js'

const QUIET_MS = 1500
const DEADLINE_MS = 5000

export async function readLogTail(client: HubClient, path: string, lines: number): Promise<string[]> {
  const abort = new AbortController()
  const tail: string[] = []
  let quiet: NodeJS.Timeout | undefined
  const deadline = setTimeout(() => abort.abort(), DEADLINE_MS)
  const hush = (): void => {
    clearTimeout(quiet)
    quiet = setTimeout(() => abort.abort(), QUIET_MS)
  }
  try {
    hush()
    const body = await client.stream(
      { method: 'GET', path, query: { tail: String(lines) }, retry: 'idempotent' },
      abort.signal
    )
    for await (const text of logLines(body)) {
      hush()
      tail.push(text)
      if (tail.length > lines) tail.shift()
    }
  } catch {
    // Quiet stream, deadline or a failed call: keep what arrived.
  } finally {
    clearTimeout(quiet)
    clearTimeout(deadline)
    abort.abort()
  }
  return tail.slice(-lines)
}

/**
 * One connection to a log stream, from its first line (no `tail`), for following it live: the texts as they arrive,
 * until the server ends the stream or `signal` aborts it.
 */
export async function* followLog(
  client: HubClient,
  path: string,
  signal: AbortSignal
): AsyncGenerator<string> {
  const body = await client.stream({ method: 'GET', path, retry: 'idempotent' }, signal)
  try {
    yield* logLines(body)
  } finally {
    body.destroy()
  }
}

/** The log texts of an SSE body, line by line; comments, keep-alives and empty `data:` lines are skipped. */
async function* logLines(body: Readable): AsyncGenerator<string> {
  let pending = ''
  body.setEncoding('utf8')
  for await (const chunk of body) {
    pending += chunk as string
    const complete = pending.split('\n')
    pending = complete.pop() ?? ''
    for (const line of complete) {
      const text = parseLogEvent(line)
      if (text !== null) yield text
    }
  }
  const last = parseLogEvent(pending)
  if (last !== null) yield last
}
