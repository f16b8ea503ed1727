/** Step outputs and the job summary, both from one Report. */
import type { ActionError } from '../errors.js'
import { formatDuration } from '../plan/duration.js'
import { DEFAULT_ENDPOINT, Output } from '../plan/names.js'
import type { Plan } from '../plan/plan.js'
import type { LogKind, PlannedWrite } from '../hub/spaces.js'
import { appHost, type Runtime, type Volume } from '../hub/types.js'
import { formatVolume } from '../plan/volumes.js'
import { usd } from '../guards/cost.js'
import { htmlEscape as escape } from './untrusted.js'
import { renderGantt, type Segment } from './timeline.js'

export interface Report {
  plan: Plan
  before?: Runtime
  after?: Runtime | undefined
  appUrl?: string | undefined
  summary?: string
  waitedMs?: number
  error?: ActionError
  logs?: { kind: LogKind; lines: string[] }
  /** The requested flavor's price, when the catalogue gave one. */
  price?: { flavor: string; usdPerHour: number }
  /** create, duplicate: whether this step made the Space. */
  created?: boolean
  /** A dry run's writes, with secret values already replaced by `***`. */
  plannedWrites?: PlannedWrite[]
  /** upload: the commit made, or the head when nothing changed. */
  commit?: { sha: string; url: string; prUrl: string | null; committed: boolean }
  /** What the Space did during the step, for the Mermaid timeline (src/report/timeline.ts). */
  timeline?: Segment[]
  /** set-volumes, delete-volumes: what is mounted when the step ends. */
  volumes?: Volume[]
}

/** Where people look at the Space. The Hub's own page on the default endpoint, the endpoint's otherwise. */
export function spaceUrl(plan: Pick<Plan, 'endpoint' | 'spaceId'>): string {
  return `${plan.endpoint || DEFAULT_ENDPOINT}/spaces/${plan.spaceId}`
}

/**
 * The app's address as the Hub reports it; never derived from the id, since a renamed Space keeps its old subdomain.
 * A loopback host (a local emulator's app) is plain http.
 */
export function appUrlFrom(runtime: Runtime): string | undefined {
  const host = appHost(runtime)
  if (!host) return undefined
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host) ? `http://${host}` : `https://${host}`
}

/**
 * Sleep time as an output, ready to feed back into `sleep-time`: seconds, `never`, or '' when the Space has none.
 * Both take it as the Hub reports it (Runtime.sleepTime: null for never); convert a written one with sleepTimeAsRead.
 */
export function sleepTimeOutput(seconds: number | null | undefined): string {
  if (seconds === undefined) return ''
  return seconds === null ? 'never' : String(seconds)
}

/** Sleep time for people: 30m, never, or — when the Space has none. */
export function formatSleepTime(seconds: number | null | undefined): string {
  if (seconds === undefined) return '—'
  return seconds === null ? 'never' : formatDuration(seconds)
}

export function outputs(report: Report): Record<string, string> {
  const values: Record<string, string> = {
    [Output.spaceUrl]: spaceUrl(report.plan),
    [Output.appUrl]: report.appUrl ?? ''
  }
  const now = report.after ?? report.before
  if (now) {
    values[Output.stage] = now.stage
    values[Output.hardware] = now.hardware ?? ''
    values[Output.requestedHardware] = now.requestedHardware ?? ''
    values[Output.sleepTime] = sleepTimeOutput(now.sleepTime)
  }
  if (report.created !== undefined) values[Output.created] = String(report.created)
  if (report.commit) {
    values[Output.commitSha] = report.commit.sha
    values[Output.commitUrl] = report.commit.url
    values[Output.prUrl] = report.commit.prUrl ?? ''
    values[Output.committed] = String(report.commit.committed)
  }
  // One hf:// line per volume, so the output can be fed back into `volumes`.
  if (report.volumes) values[Output.volumes] = report.volumes.map(formatVolume).join('\n')
  // Empty for a Space that did not exist before the step, so a later step can always read them.
  values[Output.previousHardware] = report.before?.requestedHardware ?? report.before?.hardware ?? ''
  values[Output.previousSleepTime] = report.before ? sleepTimeOutput(report.before.sleepTime) : ''
  return values
}

/**
 * The job summary as HTML. Everything that comes from the Hub, the Space or the inputs is escaped, after known secrets
 * are redacted (an escaped secret would slip past the runner's masking), and only http(s) addresses become links.
 */
export function renderSummary(report: Report): string {
  const { plan } = report
  const now = report.after ?? report.before
  const status = report.error ? '❌' : '✅'
  const rows: [string, string][] = [
    ['Space', link(spaceUrl(plan), plan.spaceId)],
    ['Operation', code(plan.operation)],
    ['Stage', now ? code(now.stage) : '—'],
    [
      'Hardware (requested → current)',
      now ? `${code(now.requestedHardware ?? '—')} → ${code(now.hardware ?? '—')}` : '—'
    ],
    ['Sleep time', escape(formatSleepTime(now?.sleepTime))],
    ['App', report.appUrl ? link(report.appUrl, report.appUrl) : '—'],
    ['Time waited', report.waitedMs === undefined ? '—' : escape(formatDuration(report.waitedMs / 1000))],
    ['Teardown planned', code(plan.teardown)]
  ]
  if (report.commit) {
    const commit = report.commit.url
      ? link(report.commit.url, report.commit.sha.slice(0, 7))
      : code(report.commit.sha.slice(0, 7))
    rows.push(['Commit', report.commit.committed ? commit : `${commit} (nothing changed, no commit made)`])
    if (report.commit.prUrl) rows.push(['Pull request', link(report.commit.prUrl, report.commit.prUrl)])
  }
  if (report.volumes) {
    rows.push([
      'Volumes',
      report.volumes.length ? report.volumes.map(v => code(formatVolume(v))).join('<br>') : 'none'
    ])
  }
  if (report.price) {
    rows.push([
      'Price',
      `${code(report.price.flavor)} ${escape(usd(report.price.usdPerHour))}/hour, billed per minute while it starts or runs`
    ])
  }
  if (report.before) {
    rows.splice(4, 0, [
      'Before the step',
      `${code(report.before.stage)} on ${code(report.before.requestedHardware ?? report.before.hardware ?? '—')}`
    ])
  }
  const parts = [
    `<h3>${status} Hugging Face Space ${escape(plan.spaceId)}</h3>`,
    report.summary ? `<p>${escape(report.summary)}</p>` : '',
    '<table>',
    ...rows.map(([name, value]) => `<tr><th align="left">${escape(name)}</th><td>${value}</td></tr>`),
    '</table>'
  ]
  if (report.plannedWrites) {
    parts.push(
      `<p><strong>Dry run</strong>: ${report.plannedWrites.length} write(s) would be sent, none was.</p>`,
      '<pre>',
      ...report.plannedWrites.map(w =>
        escape(`${w.method} ${w.path}${w.body === undefined ? '' : ` ${JSON.stringify(w.body)}`}`)
      ),
      '</pre>'
    )
  }
  if (report.error) {
    parts.push(`<p><strong>Error:</strong> ${escape(report.error.message)}</p>`)
    if (report.error.advice) parts.push(`<p>${escape(report.error.advice)}</p>`)
  }
  if (report.logs) {
    const body = report.logs.lines.length ? report.logs.lines.join('\n') : '(no log lines could be read)'
    parts.push(
      `<details open><summary>${report.logs.kind === 'build' ? 'Build' : 'Run'} log, last ${report.logs.lines.length} lines</summary>`,
      `<pre>${escape(body)}</pre></details>`
    )
  }
  const html = parts.filter(Boolean).join('\n') + '\n'
  if (!report.timeline) return html
  const price = report.price
  // A blank line ends the HTML block, so the fence below is read as Markdown.
  return `${html}\n${renderGantt(`${plan.spaceId} during this step`, report.timeline, flavor =>
    price && flavor === price.flavor ? price.usdPerHour : undefined
  )}`
}

export function link(href: string, text: string): string {
  if (!/^https?:\/\//i.test(href)) return code(text)
  return `<a href="${escape(href)}">${escape(text)}</a>`
}

export function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

/** For other summary writers (the post step's cost line). */
export { escape }
