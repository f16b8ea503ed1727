/** A Runner for steps run in process: inputs from a map, everything the step reports recorded. */
import { HubClient } from '../../src/hub/client.js'
import type { Runner } from '../../src/runner.js'
import type { FakeClock } from '../../packages/hub-emulator/src/clock.js'

export interface FakeRunner extends Runner {
  outputs: Record<string, string>
  saved: Record<string, string>
  summary: string
  failures: string[]
  /** Log lines, warnings prefixed with `warning: `, group titles with `group: `. */
  lines: string[]
  masked: string[]
}

export function fakeRunner(options: {
  inputs: Record<string, string>
  env?: NodeJS.ProcessEnv
  clock: FakeClock
  /** State handed to a post step. */
  state?: Record<string, string>
  signal?: AbortSignal
  getIdToken?: (audience: string) => Promise<string>
}): FakeRunner {
  const runner: FakeRunner = {
    outputs: {},
    saved: {},
    summary: '',
    failures: [],
    lines: [],
    masked: [],
    inputs: {
      get: name => (options.inputs[name] ?? '').trim(),
      env: options.env ?? {},
      mask: secret => runner.masked.push(secret)
    },
    state: {
      save: (name, value) => {
        runner.saved[name] = value
      },
      get: name => options.state?.[name] ?? ''
    },
    log: {
      info: line => runner.lines.push(line),
      warn: line => runner.lines.push(`warning: ${line}`),
      debug: () => undefined,
      notice: line => runner.lines.push(`notice: ${line}`),
      startGroup: title => runner.lines.push(`group: ${title}`),
      endGroup: () => undefined,
      untrusted: text => runner.lines.push(...text.split('\n')),
      group: async (title, body) => {
        runner.lines.push(`group: ${title}`)
        return body()
      }
    },
    env: options.env ?? {},
    clock: options.clock,
    random: () => 0.5,
    signal: options.signal ?? new AbortController().signal,
    setOutput: (name, value) => {
      runner.outputs[name] = value
    },
    appendSummary: html => {
      runner.summary += html
      return Promise.resolve()
    },
    setFailed: message => runner.failures.push(message),
    getIdToken: options.getIdToken ?? (() => Promise.reject(new Error('no OIDC in this test'))),
    hubClient: (endpoint, token, limits) =>
      new HubClient({
        endpoint,
        token,
        userAgent: 'in-process',
        clock: options.clock,
        random: () => 0.5,
        ...(options.signal ? { signal: options.signal } : {}),
        ...limits
      })
  }
  return runner
}
