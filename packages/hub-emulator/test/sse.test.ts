/** The log streams: SSE framing, tail, defaults. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeClock, startEmulator, type Emulator } from '../src/index.js'
import { formatSse, logEvents, parseTail, tailLines } from '../src/sse.js'
import { call, TOKENS } from './helpers.js'

const START = Date.parse('2026-06-20T01:09:43.000Z')

let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock(START)
  hub = await startEmulator({ clock })
  hub.addSpace({
    id: 'acme/app',
    buildLog: ['step 1', 'step 2', 'step 3'],
    runLog: ['===== Application Startup at 2026-06-20 01:09:43 =====\n', 'Server running on port 7860']
  })
})

afterEach(async () => {
  await hub.close()
})

function logs(kind: 'build' | 'run', query = '') {
  return call(hub.url, 'GET', `/api/spaces/acme/app/logs/${kind}${query}`, { token: TOKENS.acme })
}

/** How huggingface_hub reads the stream: keep the lines starting with `data: {`, decode, yield `data`. */
function pyStyleParse(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter(line => line.startsWith('data: {'))
    .map(line => (JSON.parse(line.slice('data: '.length)) as { data: string }).data)
}

describe('log streams', () => {
  it('frames one event per line, each ended by a blank line, then a keep-alive comment', async () => {
    const answer = await logs('run')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('text/event-stream')
    expect(answer.headers.get('cache-control')).toBe('no-cache')
    expect(answer.headers.get('x-request-id')).toMatch(/^Root=1-/)
    expect(answer.text).toBe(
      'data: {"data":"===== Application Startup at 2026-06-20 01:09:43 =====\\n","timestamp":"2026-06-20T01:09:43.000Z"}\n' +
        '\n' +
        'data: {"data":"Server running on port 7860\\n","timestamp":"2026-06-20T01:09:43.000Z"}\n' +
        '\n' +
        ': keep-alive\n' +
        '\n'
    )
    expect(pyStyleParse(answer.text)).toEqual([
      '===== Application Startup at 2026-06-20 01:09:43 =====\n',
      'Server running on port 7860\n'
    ])
  })

  it('keeps the last N lines with ?tail=N', async () => {
    expect(pyStyleParse((await logs('build', '?tail=2')).text)).toEqual(['step 2\n', 'step 3\n'])
    expect(pyStyleParse((await logs('build', '?tail=10')).text)).toEqual(['step 1\n', 'step 2\n', 'step 3\n'])
    const none = await logs('build', '?tail=0')
    expect(none.text).toBe(': keep-alive\n\n')
  })

  it.each(['-1', 'abc', '1.5', ''])('rejects tail=%p', async tail => {
    const answer = await logs('build', `?tail=${tail}`)
    expect(answer.status).toBe(400)
    expect(answer.json).toMatchObject({ error: expect.stringMatching(/tail/) as unknown })
  })

  it('stamps events with the clock and follows log updates', async () => {
    clock.advance(60_000)
    hub.updateSpace('acme/app', { buildLog: ['rebuilt'] })
    const text = (await logs('build')).text
    expect(text).toContain('"timestamp":"2026-06-20T01:10:43.000Z"')
    expect(pyStyleParse(text)).toEqual(['rebuilt\n'])
  })

  it('serves a plausible default log when none was configured', async () => {
    hub.addSpace({ id: 'acme/plain' })
    const build = await call(hub.url, 'GET', '/api/spaces/acme/plain/logs/build', { token: TOKENS.acme })
    const run = await call(hub.url, 'GET', '/api/spaces/acme/plain/logs/run', { token: TOKENS.acme })
    expect(pyStyleParse(build.text).length).toBeGreaterThan(0)
    expect(pyStyleParse(run.text).join('')).toContain('Running on local URL')
  })
})

describe('sse helpers', () => {
  it('formats and tails without the server', () => {
    expect(tailLines(['a', 'b', 'c'], undefined)).toEqual(['a', 'b', 'c'])
    expect(tailLines(['a', 'b', 'c'], 1)).toEqual(['c'])
    expect(tailLines(['a', 'b', 'c'], 0)).toEqual([])
    expect(parseTail(undefined)).toBeUndefined()
    expect(parseTail('3')).toBe(3)
    expect(() => parseTail('-3')).toThrow()
    expect(formatSse(logEvents(['x'], 0))).toBe(
      'data: {"data":"x\\n","timestamp":"1970-01-01T00:00:00.000Z"}\n\n: keep-alive\n\n'
    )
  })
})
