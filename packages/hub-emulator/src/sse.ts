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

/** What the default logs need to know of a Space. */
export interface LogSource {
  id: string
  sdk: string
  lastModified: number
  /** The last build: its commit, start time and failure. */
  lastBuild?: { sha: string; startedAt: number; error?: string } | undefined
  servingSha(now: number): string
}

/**
 * Log lines a Space serves when none were configured, so that demos show something plausible. The build log
 * names the commit of the last build (7 hex, as the Hub prints it) and ends in its error when it failed.
 */
export function defaultLog(kind: 'build' | 'run', space: LogSource, nowMs: number): string[] {
  if (space.sdk === 'static') return []
  if (kind === 'build') {
    const build = space.lastBuild
    const sha = (build?.sha ?? space.servingSha(nowMs)).slice(0, 7)
    const queued = new Date(build?.startedAt ?? space.lastModified).toISOString()
    const lines = [
      `===== Build Queued at ${queued} / Commit SHA: ${sha} =====`,
      '--> FROM docker.io/library/python:3.10',
      '--> RUN pip install --no-cache-dir -r requirements.txt'
    ]
    if (build?.error !== undefined) return [...lines, `--> ERROR: ${build.error}`]
    return [...lines, '--> Pushing image', 'DONE 0.1s']
  }
  return [
    `===== Application Startup at ${new Date(space.lastModified).toISOString().replace('T', ' ').slice(0, 19)} =====`,
    space.sdk === 'gradio' ? '* Running on local URL:  http://0.0.0.0:7860' : 'Server running on port 7860',
    `Space ${space.id} is ready (Hub emulator)`
  ]
}
