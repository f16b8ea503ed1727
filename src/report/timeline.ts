/**
 * A lifecycle timeline for the job summary: a Mermaid `gantt` built from the action's own observations (when it
 * asked, each stage it saw, the health check, the teardown), with durations and, on a paid flavor, the cost. Job
 * summaries render Mermaid only from a raw fenced block, so this is Markdown, not HTML.
 */
import { formatDuration } from '../plan/duration.js'
import { usd } from '../guards/cost.js'

export interface Segment {
  label: string
  start: number
  end: number
  /** The flavor it ran on, for the cost. */
  flavor?: string
}

/** Mermaid's limit is 50,000 characters: a step never needs more than this many bars. */
const MAX_SEGMENTS = 200

/** Records what the action saw, in clock milliseconds; each stage lasts until the next one was seen. */
export class Timeline {
  private readonly marks: { label: string; at: number; flavor?: string }[] = []
  private readonly extra: Segment[] = []

  constructor(requestedAt: number) {
    this.marks.push({ label: 'requested', at: requestedAt })
  }

  /** A stage as observed (only changes matter: the same stage again is ignored). */
  stage(stage: string, hardware: string | null, at: number): void {
    const label = hardware ? `${stage} on ${hardware}` : stage
    if (this.marks.at(-1)?.label === label) return
    this.marks.push({ label, at, ...(hardware && stage.startsWith('RUNNING') ? { flavor: hardware } : {}) })
  }

  /** Something with its own start and end, such as the health check. */
  add(segment: Segment): void {
    this.extra.push(segment)
  }

  segments(end: number): Segment[] {
    const stages = this.marks.map((mark, i) => ({
      label: mark.label,
      start: mark.at,
      end: this.marks[i + 1]?.at ?? end,
      ...(mark.flavor ? { flavor: mark.flavor } : {})
    }))
    return [...stages, ...this.extra].slice(0, MAX_SEGMENTS)
  }
}

/** The fenced `mermaid` block; `price` gives USD per hour by flavor for the cost of the running bars. */
export function renderGantt(
  title: string,
  segments: readonly Segment[],
  price: (flavor: string) => number | undefined = () => undefined
): string {
  if (!segments.length) return ''
  const lines = segments.map(segment => {
    const seconds = Math.max(0, segment.end - segment.start) / 1000
    const rate = segment.flavor ? price(segment.flavor) : undefined
    const cost = rate ? `, ${usd((rate * seconds) / 3600)}` : ''
    const label = `${segment.label} (${formatDuration(Math.round(seconds))}${cost})`
    return `    ${mermaidText(label)} :${segment.start}, ${Math.max(segment.end, segment.start + 1)}`
  })
  return [
    '```mermaid',
    'gantt',
    `    title ${mermaidText(title)}`,
    '    dateFormat x',
    '    axisFormat %H:%M:%S',
    ...lines,
    '```',
    ''
  ].join('\n')
}

/** Mermaid ends a label at `:` and a statement at `;` or a line break; `#` starts its entity codes. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 200)
    .replace(/[#:;]/g, c => `#${c.charCodeAt(0)};`)
}
