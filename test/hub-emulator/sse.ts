/**
 * The log streams (`GET /api/spaces/{id}/logs/build|run`) as Server-Sent Events, framed like the Hub's:
 *
 *   data: {"data":"<line>\n","timestamp":"<ISO-8601 Z>"}
 *   <blank line>
 *   : keep-alive
 *   <blank line>
 *
 * One event per log line, each followed by the blank line that ends an SSE event, then one keep-alive comment,
 * then the stream ends (the emulator never follows).
 */

export interface LogEvent {
  data: string
  timestamp: string
}

/** Keeps the last `tail` lines (all of them when `tail` is undefined). */
export function tailLines(lines: readonly string[], tail: number | undefined): string[] {
  if (tail === undefined) return [...lines]
  return tail === 0 ? [] : lines.slice(-tail)
}

/** Parses the `tail` query parameter: an integer >= 0, or undefined when absent. Throws on anything else. */
export function parseTail(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw)) throw new Error(`Invalid tail "${raw}": expected an integer >= 0`)
  return Number(raw)
}

/** One event per line; each line's text ends in `\n`, as the Hub's do. */
export function logEvents(lines: readonly string[], nowMs: number): LogEvent[] {
  const timestamp = new Date(nowMs).toISOString()
  return lines.map(line => ({ data: line.endsWith('\n') ? line : `${line}\n`, timestamp }))
}

export function formatSse(events: readonly LogEvent[]): string {
  const frames = events.map(
    event => `data: ${JSON.stringify({ data: event.data, timestamp: event.timestamp })}\n\n`
  )
  return `${frames.join('')}: keep-alive\n\n`
}

/** Log lines a Space serves when none were configured, so that demos show something plausible. */
export function defaultLog(kind: 'build' | 'run', sdk: string, spaceId: string, nowMs: number): string[] {
  if (sdk === 'static') return []
  if (kind === 'build') {
    return [
      `===== Build Queued at ${new Date(nowMs).toISOString()} / Commit SHA: emulator =====`,
      '--> FROM docker.io/library/python:3.10',
      '--> RUN pip install --no-cache-dir -r requirements.txt',
      '--> Pushing image',
      'DONE 0.1s'
    ]
  }
  return [
    `===== Application Startup at ${new Date(nowMs).toISOString().replace('T', ' ').slice(0, 19)} =====`,
    sdk === 'gradio' ? '* Running on local URL:  http://0.0.0.0:7860' : 'Server running on port 7860',
    `Space ${spaceId} is ready (Hub emulator)`
  ]
}
