import { describe, expect, it } from '@jest/globals'
import { readInputs, readSpaceId, isLoopback, type InputSource } from '../../src/plan/read-inputs.js'
import { parseDuration, formatDuration } from '../../src/plan/duration.js'
import { plan } from '../support/plan.js'

const TOKEN = 'hf_inputs_test_token_0123456789'

function source(inputs: Record<string, string>, env: Record<string, string> = { HF_TOKEN: TOKEN }) {
  const masked: string[] = []
  const src: InputSource = { get: name => (inputs[name] ?? '').trim(), env, mask: s => masked.push(s) }
  return { src, masked }
}

describe('readInputs', () => {
  it('reads a request-hardware plan with defaults', () => {
    const { src, masked } = source({
      'space-id': 'acme/eval-app',
      operation: 'request-hardware',
      hardware: 'T4-Small',
      'sleep-time': '30m'
    })
    expect(readInputs(src)).toEqual(
      plan({
        operation: 'request-hardware',
        credentials: { kind: 'token', token: TOKEN },
        hardware: 't4-small',
        sleepSeconds: 1800
      })
    )
    expect(masked).toEqual([TOKEN])
  })

  it('reads the build-start window and restart-if-no-build', () => {
    const { src } = source({
      'space-id': 'a/b',
      operation: 'upload',
      'build-start-timeout': '5m',
      'restart-if-no-build': 'true'
    })
    expect(readInputs(src)).toMatchObject({ buildStartSeconds: 300, restartIfNoBuild: true })
    const defaults = readInputs(source({ 'space-id': 'a/b', operation: 'wait' }).src)
    expect(defaults).toMatchObject({ buildStartSeconds: 60, restartIfNoBuild: false })
  })

  it('prefers the token input to HF_TOKEN, and masks it', () => {
    const { src, masked } = source({ 'space-id': 'a/b', token: 'hf_input_token_0123456789' })
    expect(readInputs(src).credentials).toEqual({ kind: 'token', token: 'hf_input_token_0123456789' })
    expect(masked).toEqual(['hf_input_token_0123456789'])
  })

  it('masks the token even when another input is bad', () => {
    const { src, masked } = source({ 'space-id': 'not an id' })
    expect(() => readInputs(src)).toThrow('space-id')
    expect(masked).toEqual([TOKEN])
  })

  it('reads sleep-time "never" as -1, and HF_ENDPOINT when endpoint is empty', () => {
    const { src } = source(
      { 'space-id': 'a/b', operation: 'set-sleep-time', 'sleep-time': 'never' },
      { HF_TOKEN: TOKEN, HF_ENDPOINT: 'https://hub.example.com/' }
    )
    expect(readInputs(src)).toMatchObject({ sleepSeconds: -1, endpoint: 'https://hub.example.com' })
  })

  it('allows a read without a token', () => {
    const { src } = source({ 'space-id': 'a/b' }, {})
    expect(readInputs(src).credentials).toEqual({ kind: 'anonymous' })
  })

  it.each<[Record<string, string>, Record<string, string>, string]>([
    [{}, {}, 'space-id` is required'],
    [{ 'space-id': 'a/b', operation: 'upgrade' }, {}, 'not one of: runtime, request-hardware'],
    [{ 'space-id': 'a/b', operation: 'request-hardware' }, {}, '`hardware` is required'],
    [
      { 'space-id': 'a/b', hardware: 't4-small' },
      {},
      'only used by request-hardware, create, duplicate, not by `runtime`'
    ],
    [{ 'space-id': 'a/b', operation: 'request-hardware', hardware: 't4 small' }, {}, 'not a flavor name'],
    [{ 'space-id': 'a/b', operation: 'set-sleep-time' }, {}, '`sleep-time` is required'],
    [{ 'space-id': 'a/b', operation: 'set-sleep-time', 'sleep-time': '5 minutes' }, {}, 'not a sleep time'],
    [{ 'space-id': 'a/b', operation: 'set-sleep-time', 'sleep-time': '0' }, {}, '"0" is out of range'],
    [
      { 'space-id': 'a/b', operation: 'pause', 'sleep-time': '1h' },
      {},
      'only used by request-hardware, set-sleep-time, create, duplicate, not by `pause`'
    ],
    [
      { 'space-id': 'a/b', 'factory-reboot': 'true' },
      {},
      '`factory-reboot` is only used by restart, not by `runtime`'
    ],
    [{ 'space-id': 'a/b', wait: 'yes' }, {}, 'must be true or false'],
    [{ 'space-id': 'a/b', timeout: '0' }, {}, '`timeout` "0" is out of range'],
    [{ 'space-id': 'a/b', 'build-start-timeout': '0' }, {}, '"0" is not a duration from 1s to 1h'],
    [{ 'space-id': 'a/b', 'build-start-timeout': '2h' }, {}, '"2h" is not a duration from 1s to 1h'],
    [
      { 'space-id': 'a/b', operation: 'restart', 'restart-if-no-build': 'true' },
      {},
      '`restart-if-no-build` is only used by wait, upload, not by `restart`'
    ],
    [{ 'space-id': 'a/b', teardown: 'delete-it' }, {}, 'not one of: none, pause, restore, downgrade'],
    [{ 'space-id': 'a/b', endpoint: 'hub' }, {}, 'not a URL'],
    [{ 'space-id': 'a/b', endpoint: 'ftp://hub' }, {}, 'http(s) URL'],
    [
      { 'space-id': 'a/b', endpoint: 'http://hub.example.com' },
      {},
      'Refusing to send the token over plain http'
    ],
    [
      { 'space-id': 'a/b', operation: 'pause' },
      { HF_TOKEN: '' },
      'credentials are needed for `operation: pause`'
    ],
    [{ 'space-id': 'a/b', teardown: 'pause' }, { HF_TOKEN: '' }, '`teardown: pause`'],
    [{ 'space-id': 'a/b', token: 'hf_a b' }, {}, 'white space']
  ])('rejects %j', (inputs, env, message) => {
    const { src } = source(inputs, { HF_TOKEN: TOKEN, ...env })
    expect(() => readInputs(src)).toThrow(message)
    try {
      readInputs(src)
    } catch (error) {
      expect(error).toMatchObject({ code: 'bad-input' })
      expect(String((error as Error).message)).not.toContain(TOKEN)
    }
  })

  it('accepts plain http to loopback addresses only', () => {
    for (const endpoint of ['http://127.0.0.1:8787', 'http://localhost:1', 'http://[::1]:2']) {
      expect(readInputs(source({ 'space-id': 'a/b', endpoint }).src).endpoint).toBe(endpoint)
    }
    expect(isLoopback('127.10.0.1')).toBe(true)
    expect(isLoopback('10.0.0.1')).toBe(false)
  })
})

describe('readSpaceId', () => {
  it.each(['acme/eval-app', 'Foo-BAR_foo.bar123/x', 'user/tmp_test_space', `a/${'b'.repeat(96)}`])(
    'accepts %s',
    id => expect(readSpaceId(id)).toBe(id)
  )
  it.each([
    'eval-app',
    'spaces/acme/app',
    '/app',
    'acme/',
    '.acme/app',
    'acme/app.',
    'acme/foo--bar',
    'acme/foo..bar',
    'acme/app.git',
    `a/${'b'.repeat(97)}`,
    'acme/app name'
  ])('rejects %s', id => expect(() => readSpaceId(id)).toThrow('space-id'))
})

describe('duration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1d', 86400],
    [' 45S ', 45]
  ])('parses %s', (text, seconds) => expect(parseDuration(text)).toBe(seconds))
  it.each(['', 'm', '1.5h', '-1', 'soon', '30 m'])('refuses %j', text =>
    expect(parseDuration(text)).toBeUndefined()
  )
  it('formats for people', () => {
    expect(formatDuration(4.26)).toBe('4.3s')
    expect(formatDuration(5400)).toBe('1h 30m')
    expect(formatDuration(172800)).toBe('2d')
  })
})

describe('missing token', () => {
  it('says which YAML line to add', () => {
    const { src } = source({ 'space-id': 'a/b', operation: 'restart' }, {})
    expect(() => readInputs(src)).toThrow(
      expect.objectContaining({ advice: expect.stringContaining('HF_TOKEN: ${{ secrets.HF_TOKEN }}') })
    )
  })
})

describe('keyless and guardrail inputs', () => {
  const oidc = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?x=1',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh_request'
  }

  it('signs in keyless when there is no token but the job may mint an OIDC token', () => {
    const { src } = source({ 'space-id': 'a/b', operation: 'pause' }, oidc)
    expect(readInputs(src).credentials).toEqual({ kind: 'oidc' })
  })

  it('prefers a token to OIDC, and reads anonymously when nothing is written', () => {
    expect(
      readInputs(source({ 'space-id': 'a/b', operation: 'pause' }, { ...oidc, HF_TOKEN: TOKEN }).src)
        .credentials.kind
    ).toBe('token')
    expect(readInputs(source({ 'space-id': 'a/b' }, oidc).src).credentials.kind).toBe('anonymous')
  })

  it('names both ways to authenticate when neither is there', () => {
    const { src } = source({ 'space-id': 'a/b', operation: 'restart' }, {})
    expect(() => readInputs(src)).toThrow(
      expect.objectContaining({ advice: expect.stringContaining('id-token: write') })
    )
  })

  it('lets wait run without credentials (it only writes to wake a sleeping Space)', () => {
    expect(readInputs(source({ 'space-id': 'a/b', operation: 'wait' }, {}).src).credentials.kind).toBe(
      'anonymous'
    )
  })

  it('refuses a flavor outside allowed-hardware before any request', () => {
    const ok = source({
      'space-id': 'a/b',
      operation: 'request-hardware',
      hardware: 't4-medium',
      'allowed-hardware': 'zero-a10g, t4-*'
    })
    expect(readInputs(ok.src).allowedHardware).toEqual(['zero-a10g', 't4-*'])
    const no = source({
      'space-id': 'a/b',
      operation: 'request-hardware',
      hardware: 'a100-large',
      'allowed-hardware': 'zero-a10g\nt4-*'
    })
    expect(() => readInputs(no.src)).toThrow('not in `allowed-hardware` (zero-a10g, t4-*)')
  })

  it('reads max-hourly-cost in USD and the safety sleep time', () => {
    const upgrade = { 'space-id': 'a/b', operation: 'request-hardware', hardware: 't4-small' }
    const { src } = source({ ...upgrade, 'max-hourly-cost': '$1.50', 'safety-sleep-time': 'never' })
    expect(readInputs(src)).toMatchObject({ maxHourlyCost: 1.5, safetySleepSeconds: undefined })
    expect(() => readInputs(source({ ...upgrade, 'max-hourly-cost': 'cheap' }).src)).toThrow(
      'not an amount in USD'
    )
    expect(() => readInputs(source({ ...upgrade, 'allowed-hardware': 'T4 small!' }).src)).toThrow(
      'not a flavor or a pattern'
    )
  })
})
