import { describe, expect, it } from '@jest/globals'
import { readInputs, type InputSource } from '../../src/plan/read-inputs.js'
import { nameMatches, readTargets } from '../../src/plan/targets.js'
import { loadFleetTeardown, saveFleetTeardown, teardownState } from '../../src/teardown/state.js'

const source = (
  inputs: Record<string, string>,
  env: Record<string, string> = { HF_TOKEN: 'hf_targets_0123456789' }
): InputSource => ({
  get: name => (inputs[name] ?? '').trim(),
  env,
  mask: () => undefined
})

describe('readTargets', () => {
  it('reads ids and patterns, skipping blanks, comments and repeats', () => {
    expect(readTargets('acme/a\n\n# nightly\nacme/*\nacme/a\nother/app-?')).toEqual({
      ids: ['acme/a'],
      patterns: [
        { owner: 'acme', name: '*', text: 'acme/*' },
        { owner: 'other', name: 'app-?', text: 'other/app-?' }
      ]
    })
  })

  it.each([
    ['*/app', 'the owner must be spelled out'],
    ['acme/*/x', 'exactly one "/"'],
    ['acme/a b', 'not a valid Space id'],
    ['acme/(x)*', 'the name pattern may hold only']
  ])('refuses %s, naming the line', (line, problem) => {
    expect(() => readTargets(`acme/ok\n${line}`)).toThrow(`line 2 "${line}"`)
    expect(() => readTargets(line)).toThrow(problem)
  })

  it('matches name globs literally apart from * and ?', () => {
    expect(nameMatches('*', 'anything')).toBe(true)
    expect(nameMatches('app-?', 'app-1')).toBe(true)
    expect(nameMatches('app-?', 'app-12')).toBe(false)
    expect(nameMatches('a.b*', 'axb')).toBe(false)
  })
})

describe('readInputs with several Spaces', () => {
  it('makes a fleet plan for an operation the table allows', () => {
    const plan = readInputs(source({ 'space-id': 'acme/a\nacme/b', operation: 'pause' }))
    expect(plan.fleet).toEqual({ ids: ['acme/a', 'acme/b'], patterns: [] })
  })

  it('keeps one Space on one line a plain plan, even with blank lines', () => {
    const plan = readInputs(source({ 'space-id': 'acme/a\n', operation: 'pause' }))
    expect(plan.spaceId).toBe('acme/a')
    expect(plan.fleet).toBeUndefined()
  })

  it.each(['delete', 'create', 'duplicate', 'upload', 'request-storage'])(
    'refuses a pattern for %s',
    operation => {
      expect(() => readInputs(source({ 'space-id': 'acme/*', operation, sdk: 'gradio' }))).toThrow(
        'takes one Space'
      )
    }
  )

  it('refuses keyless credentials for several Spaces', () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y' }
    expect(() => readInputs(source({ 'space-id': 'acme/*', operation: 'pause' }, env))).toThrow(/keyless/)
  })
})

describe('the teardown list', () => {
  const store = new Map<string, string>()
  const states = { save: (k: string, v: string) => store.set(k, v), get: (k: string) => store.get(k) ?? '' }

  it('round-trips, and is refused whole when one entry is invalid', () => {
    const saved = [
      teardownState('acme/a', 'https://huggingface.co', 'restore', undefined),
      teardownState('acme/b', 'https://huggingface.co', 'pause', undefined)
    ]
    saveFleetTeardown(states, saved)
    expect(loadFleetTeardown(states)).toEqual(saved)
    store.set('teardown-fleet', JSON.stringify([...saved, { spaceId: 'acme/c', mode: 'nuke' }]))
    expect(() => loadFleetTeardown(states)).toThrow('unusable')
    store.set('teardown-fleet', '{}')
    expect(() => loadFleetTeardown(states)).toThrow('unusable')
    store.delete('teardown-fleet')
    expect(loadFleetTeardown(states)).toBeUndefined()
  })
})
