/** A Runner for steps run in process: inputs from a map, everything the step reports recorded. */
import { HubClient } from '../../src/hub/client.js'
import type { Runner } from '../../src/runner.js'
import type { Emulator } from '../../packages/hub-emulator/src/index.js'
import type { FakeClock } from '../../packages/hub-emulator/src/clock.js'

export interface FakeRunner extends Runner {
  outputs: Record<string, string>
  saved: Record<string, string>
  summary: string
  failures: string[]
  /** Log lines, warnings prefixed with `warning: `, errors with `error: `, group titles with `group: `. */
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
      error: line => runner.lines.push(`error: ${line}`),
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
        log: runner.log,
        ...(options.signal ? { signal: options.signal } : {}),
        ...limits
      })
  }
  return runner
}

/** A job that may mint OIDC tokens, from the emulator's stand-in for GitHub's issuer: its env and getIdToken. */
export function keylessJob(hub: Pick<Emulator, 'oidcRequestUrl' | 'oidc'>): {
  env: NodeJS.ProcessEnv
  getIdToken: (audience: string) => Promise<string>
} {
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: hub.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: hub.oidc.requestToken
    },
    getIdToken: async audience => {
      const answer = await fetch(`${hub.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`, {
        headers: { authorization: `Bearer ${hub.oidc.requestToken}` }
      })
      return ((await answer.json()) as { value: string }).value
    }
  }
}
