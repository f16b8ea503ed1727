/**
 * `space-id` with several Spaces: one per line, and `owner/*` patterns (`owner/prefix-*` narrows them) that the fleet
 * step (src/steps/fleet.ts) resolves through the Spaces listing. Pure: a bad line fails here, naming it.
 */
import { badInput } from '../errors.js'
import { Input, repoIdProblem } from './names.js'

export interface SpaceTargets {
  /** Spaces named in full, in input order. */
  ids: string[]
  /** Patterns: the owner to list, and the name glob (`*`, `?`) to keep. */
  patterns: { owner: string; name: string; text: string }[]
}

/** The lines of `space-id`; blank lines and `#` comments are skipped, repeats are dropped. */
export function readTargets(text: string): SpaceTargets {
  const targets: SpaceTargets = { ids: [], patterns: [] }
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const fail = (problem: string): never => {
      throw badInput(
        `Input \`${Input.spaceId}\`, line ${index + 1} "${line}": ${problem}.`,
        'Write one owner/name per line, or owner/* for every Space of an owner.'
      )
    }
    if (/[*?]/.test(line)) {
      const [owner = '', name = '', ...more] = line.split('/')
      if (more.length || !name) fail('a pattern is owner/*, with exactly one "/"')
      if (/[*?]/.test(owner)) fail('the owner must be spelled out; only the name may hold * or ?')
      const problem = repoIdProblem(`${owner}/x`)
      if (problem) fail(problem)
      if (!/^[\w.*?-]+$/.test(name))
        fail('the name pattern may hold only letters, digits, "-", "_", ".", * and ?')
      if (!targets.patterns.some(p => p.text === line)) targets.patterns.push({ owner, name, text: line })
      continue
    }
    const problem = repoIdProblem(line)
    if (problem) fail(`not a valid Space id: ${problem}`)
    if (!targets.ids.includes(line)) targets.ids.push(line)
  }
  return targets
}

/** Whether a Space name matches a pattern's name glob (`*` any run, `?` one character). */
export function nameMatches(glob: string, name: string): boolean {
  const regex = glob
    .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${regex}$`).test(name)
}
