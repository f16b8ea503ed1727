import { describe, expect, it } from '@jest/globals'
import { parseKeys, parseKeyValues } from '../../src/plan/key-values.js'
import { readInputs, type InputSource } from '../../src/plan/read-inputs.js'

const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----'

describe('parseKeyValues', () => {
  it('reads dotenv: quotes with = # and commas, JSON, comments, export, empty values', () => {
    const text = [
      '# a comment',
      'PLAIN=value',
      'QUOTED="a=b # not a comment, with commas"',
      "SINGLE='x'",
      'JSON={"a":1,"b":[1,2]}',
      'INLINE=abc # a trailing comment',
      'export EXPORTED=yes',
      'EMPTY=',
      ''
    ].join('\n')
    expect(parseKeyValues(text, 'variables', {}).map(({ key, value }) => [key, value])).toEqual([
      ['PLAIN', 'value'],
      ['QUOTED', 'a=b # not a comment, with commas'],
      ['SINGLE', 'x'],
      ['JSON', '{"a":1,"b":[1,2]}'],
      ['INLINE', 'abc'],
      ['EXPORTED', 'yes'],
      ['EMPTY', '']
    ])
  })

  it('keeps a multi-line PEM key intact, and knows the lines after it', () => {
    const entries = parseKeyValues(`KEY="${PEM}"\nAFTER=1`, 'secrets', {})
    expect(entries).toEqual([
      { key: 'KEY', value: PEM, line: 1 },
      { key: 'AFTER', value: '1', line: 5 }
    ])
  })

  it('reads a bare KEY from the environment, so values can come through env:', () => {
    expect(parseKeyValues('API_KEY\nOTHER=x', 'secrets', { API_KEY: 's3cret' })).toEqual([
      { key: 'API_KEY', value: 's3cret', line: 1 },
      { key: 'OTHER', value: 'x', line: 2 }
    ])
  })

  it.each([
    ['A=1\nthis is not valid\n', 'line 2: expected KEY=value'],
    ['A=1\n1BAD=x', 'line 2: "1BAD" is not a valid key'],
    ['A=1\nA=2', 'line 2: A is already set on line 1'],
    ['MISSING', 'line 1: MISSING is not set in the environment'],
    ['EMPTY_SECRET', 'line 1: EMPTY_SECRET is empty in the environment'],
    ['A="never closed\nsecret-part', 'line 1: the quoted value of A is never closed']
  ])('fails on %j with the line number, never the value', (text, message) => {
    let error: unknown
    try {
      parseKeyValues(text, 'secrets', { EMPTY_SECRET: '' })
    } catch (e) {
      error = e
    }
    expect(String((error as Error).message)).toContain(message)
    expect(String((error as Error).message)).not.toMatch(/secret-part|never closed\n/)
  })
})

describe('parseKeys', () => {
  it('splits on commas, spaces and new lines, and removes repeats', () => {
    expect(parseKeys('A, B\nC A', 'keys')).toEqual(['A', 'B', 'C'])
    expect(() => parseKeys('A, b-c', 'keys')).toThrow('"b-c" is not a valid key')
  })
})

describe('secrets in the inputs', () => {
  it('masks each value, and each long line of a multi-line one, before anything else happens', () => {
    const masked: string[] = []
    const source: InputSource = {
      get: name =>
        ({ 'space-id': 'a/b', operation: 'set-secrets', secrets: `KEY="${PEM}"\nSHORT=abc` })[name] ?? '',
      env: { HF_TOKEN: 'hf_x_0123456789' },
      mask: s => masked.push(s)
    }
    readInputs(source)
    expect(masked).toContain(PEM)
    expect(masked).toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7')
    expect(masked).toContain('abc')
  })

  it('refuses keyless credentials for create, with what to add', () => {
    const source: InputSource = {
      get: name => ({ 'space-id': 'a/b', operation: 'create', sdk: 'gradio' })[name] ?? '',
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/x?y', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' },
      mask: () => undefined
    }
    expect(() => readInputs(source)).toThrow('cannot create repositories')
  })

  it.each<[Record<string, string>, string]>([
    [{ operation: 'create' }, '`sdk` is required with `operation: create`'],
    [{ operation: 'create', sdk: 'streamlit' }, 'not one of: gradio, docker, static'],
    [{ operation: 'duplicate' }, '`from-space` is required'],
    [{ operation: 'duplicate', 'from-space': 'a/b' }, 'are the same Space'],
    [{ operation: 'set-secrets' }, '`secrets` is required'],
    [{ operation: 'delete-variables' }, '`keys` is required'],
    [{ operation: 'request-storage', storage: 'huge' }, 'not one of: small, medium, large'],
    [{ operation: 'pause', secrets: 'A=1' }, '`secrets` is only used by create, duplicate, set-secrets'],
    [{ operation: 'set-variables', variables: 'A=1', prune: 'yes' }, 'must be true or false']
  ])('validates %j', (inputs, message) => {
    const source: InputSource = {
      get: name => ({ 'space-id': 'a/b', ...inputs })[name] ?? '',
      env: { HF_TOKEN: 'hf_x_0123456789' },
      mask: () => undefined
    }
    expect(() => readInputs(source)).toThrow(message)
  })
})

describe('parseKeyValues for secrets', () => {
  it.each([
    ['A=1\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'line 2: the bare key on this line is not set'],
    ['A=1\nk3m+Q9/fR2xY0pZ8vL1tN4uW6eH5sD7aG3jK0bC9yXo2==', 'line 2: the key on this line is not valid'],
    ['A=1\n---not a line', 'line 2: expected KEY=value']
  ])('masks the line and never quotes it: %j', (text, message) => {
    const masked: string[] = []
    const line = text.split('\n')[1] ?? ''
    let error: unknown
    try {
      parseKeyValues(text, 'secrets', {}, value => masked.push(value))
    } catch (e) {
      error = e
    }
    expect(String((error as Error).message)).toContain(message)
    expect(String((error as Error).message) + String((error as { advice?: string }).advice)).not.toContain(
      line.slice(0, 12)
    )
    expect(masked).toContain(line)
  })
})
