/** action.yml follows GitHub's metadata syntax (the check that `npm run lint:workflows` also runs in .ci/run). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../harness/built-action.js'
import { checkActionMetadata } from './action-metadata.js'

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Record<string, unknown>
const runs = action.runs as Record<string, unknown>

describe('action.yml', () => {
  it('is valid metadata for a node24 action whose entry files exist', () => {
    expect(runs.using).toBe('node24')
    expect(checkActionMetadata(action, ROOT)).toEqual([])
  })

  it('would be refused with a runtime GitHub does not offer, a missing file, or malformed inputs', () => {
    const broken = {
      ...action,
      homepage: 'https://example.com',
      runs: { ...runs, using: 'node16', post: 'dist/nowhere.js' },
      inputs: {
        'space id': { description: 'x' },
        wait: { default: true },
        token: { description: 'x', secret: true }
      },
      outputs: { stage: {} },
      branding: { icon: 'smile', color: 'pink' }
    }
    expect(checkActionMetadata(broken, ROOT)).toEqual([
      expect.stringMatching(/^homepage: not a key/),
      expect.stringMatching(/^inputs\.space id: an id starts with/),
      'inputs.wait.description: required, a string',
      "inputs.wait.default: a string (quote it: 'true')",
      expect.stringMatching(/^inputs\.token\.secret: not a key of inputs/),
      'outputs.stage.description: required, a string',
      'runs.using: "node16" is not a JavaScript runtime (node20, node24)',
      'runs.post: dist/nowhere.js does not exist (npm run build)',
      expect.stringMatching(/^branding\.color: one of/),
      expect.stringMatching(/^branding\.icon: a Feather icon/)
    ])
  })
})
