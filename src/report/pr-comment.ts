/**
 * The sticky pull request comment: one per Space, found again by a hidden marker, and only rewritten when its text
 * changes (so it holds nothing that changes by itself, such as times). Space text (the error, the log tail) goes in
 * a fenced block longer than any backtick run inside it, so it cannot close the fence or turn into Markdown.
 */
import { createHash } from 'node:crypto'
import type { Report } from './report.js'
import { spaceUrl } from './report.js'

/** GitHub refuses comments over 65,536 characters; keep far below. */
export const MAX_COMMENT = 60_000
const LOG_LINES = 40
const LINE_CHARS = 500

export type CommentState = 'ready' | 'failed' | 'deleted' | 'paused' | 'done'

export interface CommentFacts {
  state: CommentState
  spaceId: string
  spaceUrl: string
  appUrl?: string | undefined
  stage?: string | undefined
  hardware?: string | undefined
  commit?: string | undefined
  runUrl: string
  error?: string | undefined
  logs?: { kind: string; lines: readonly string[] } | undefined
}

/** Names the Space without showing it (a private Space's name stays out of the public page source). */
export function commentMarker(spaceId: string): string {
  const hash = createHash('sha256').update(spaceId).digest('hex').slice(0, 16)
  return `<!-- hf-space-action:space=${hash} -->`
}

export function commentFacts(report: Report, runUrl: string, commit: string | undefined): CommentFacts {
  const now = report.after ?? report.before
  const state: CommentState = report.error
    ? 'failed'
    : now?.stage === 'RUNNING'
      ? 'ready'
      : now?.stage === 'PAUSED'
        ? 'paused'
        : now
          ? 'done'
          : 'deleted'
  return {
    state,
    spaceId: report.plan.spaceId,
    spaceUrl: spaceUrl(report.plan),
    appUrl: state === 'ready' ? report.appUrl : undefined,
    stage: now?.stage,
    hardware: now?.hardware ?? now?.requestedHardware ?? undefined,
    commit,
    runUrl,
    error: report.error?.message,
    logs: report.logs
  }
}

const HEADINGS: Record<CommentState, string> = {
  ready: '✅ ready',
  failed: '❌ failed',
  deleted: '🗑️ deleted',
  paused: '⏸️ paused',
  done: 'ℹ️ updated'
}

export function renderComment(facts: CommentFacts): string {
  const rows: [string, string][] = [['Space', `[${plain(facts.spaceId)}](${facts.spaceUrl})`]]
  if (facts.appUrl) rows.push(['App', `<${facts.appUrl}>`])
  if (facts.stage) rows.push(['Stage', codeSpan(facts.stage)])
  if (facts.hardware) rows.push(['Hardware', codeSpan(facts.hardware)])
  if (facts.commit) rows.push(['Commit', codeSpan(facts.commit.slice(0, 7))])
  rows.push(['Run', `[logs](${facts.runUrl})`])
  const head = [
    commentMarker(facts.spaceId),
    `### Hugging Face Space ${plain(facts.spaceId)}: ${HEADINGS[facts.state]}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    ''
  ].join('\n')
  const parts = [head]
  if (facts.error) parts.push('**Error**', fenced([facts.error]))
  if (facts.state === 'failed' && facts.logs) {
    const lines = facts.logs.lines.slice(-LOG_LINES).map(line => clip(line, LINE_CHARS))
    parts.push(`**${facts.logs.kind === 'build' ? 'Build' : 'Run'} log**, last ${lines.length} lines`)
    // Drop the oldest lines until the body fits.
    let tail = lines
    const room = MAX_COMMENT - parts.join('\n').length - 100
    while (tail.length && fenced(tail).length > room) tail = tail.slice(1)
    parts.push(fenced(tail.length ? tail : ['(no log lines could be read)']))
  }
  return clip(parts.join('\n'), MAX_COMMENT)
}

/** A fence one backtick longer than the longest run of backticks in the text. */
export function fenced(lines: readonly string[]): string {
  const text = lines.join('\n')
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}text\n${text}\n${fence}\n`
}

function codeSpan(text: string): string {
  return `\`${text.replace(/[`|\r\n]/g, '')}\``
}

/** Space ids hold only letters, digits, `-`, `_` and `.`; this keeps even those from reading as Markdown. */
function plain(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, c => `\\${c}`)
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
