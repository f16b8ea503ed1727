/**
 * The repository's own workflows keep the rules RELEASING.md and CONTRIBUTING.md state: least privilege, and every
 * action pinned by full commit SHA with the version it is in a comment (Dependabot updates both together).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../harness/built-action.js'

const DIR = path.join(ROOT, '.github/workflows')
const files = readdirSync(DIR).filter(name => /\.ya?ml$/.test(name))

describe.each(files)('.github/workflows/%s', file => {
  const text = readFileSync(path.join(DIR, file), 'utf8')

  it('reads the repository and nothing more', () => {
    expect((parse(text) as { permissions?: unknown }).permissions).toEqual({ contents: 'read' })
  })

  it('pins every action by commit SHA, with its version in a comment', () => {
    const unpinned = text
      .split('\n')
      .map((line, index) => [index + 1, line.trim()] as const)
      .filter(([, line]) => /^(- )?uses:/.test(line) && !/uses: \.\/?$/.test(line))
      .filter(([, line]) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(line))
      .map(([number, line]) => `${file}:${number}: ${line}`)
    expect(unpinned).toEqual([])
  })
})

it('CI runs .ci/run, the same script as on a developer machine', () => {
  expect(files).toEqual(expect.arrayContaining(['ci.yml', 'self-test.yml']))
  expect(readFileSync(path.join(DIR, 'ci.yml'), 'utf8')).toMatch(/^\s+- run: bash \.ci\/run$/m)
})
