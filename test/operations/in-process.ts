/**
 * Operations run in this process against the emulator, on one fake clock: the action's sleeps move the clock, and
 * the emulator's Spaces build and start by that same clock, so a 90-second upgrade takes milliseconds and exactly
 * the requests the real step would send. The end-to-end suite (test/e2e) keeps what only a real process shows.
 */
import { afterEach, beforeEach } from '@jest/globals'
import { HubClient } from '../../src/hub/client.js'
import { HubError } from '../../src/hub/errors.js'
import { DryRunSpacesApi } from '../../src/hub/dry-run.js'
import { HubSpacesApi, type PlannedWrite, type SpacesApi } from '../../src/hub/spaces.js'
import type { Runtime } from '../../src/hub/types.js'
import type { Logger } from '../../src/logger.js'
import { runOperation, type OperationResult } from '../../src/operations/index.js'
import { OPERATIONS } from '../../src/plan/operations.js'
import type { Plan } from '../../src/plan/plan.js'
import { readInputs } from '../../src/plan/read-inputs.js'
import {
  DEFAULT_ACCOUNTS,
  startEmulator,
  type Emulator,
  type SpaceSpec
} from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'

export const OWNER_TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
export const SPACE = 'acme/eval-app'

export interface Run {
  plan: Plan
  result: OperationResult
  info: string[]
  warnings: string[]
  /** Writes the step sent, as `METHOD /path body`. */
  writes: string[]
  /** With `dry-run`, the writes the wrapper recorded instead. */
  planned?: PlannedWrite[]
}

export interface InProcessHub {
  hub: Emulator
  clock: FakeClock
  /** Reads the inputs as the action does, then runs the operation on the runtime read before it. */
  run(inputs: Record<string, string>, env?: Record<string, string>): Promise<Run>
}

export function useInProcessHub(spaces: SpaceSpec[] = [{ id: SPACE }]): InProcessHub {
  const fixture = {} as InProcessHub
  beforeEach(async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
    const hub = await startEmulator({ clock })
    for (const space of spaces) hub.addSpace(space)
    fixture.hub = hub
    fixture.clock = clock
    fixture.run = async (inputs, env = { HF_TOKEN: OWNER_TOKEN }) => {
      const plan = readInputs({
        get: name => (name === 'endpoint' ? hub.url : (inputs[name] ?? '')).trim(),
        env,
        mask: () => undefined
      })
      const token = plan.credentials.kind === 'token' ? plan.credentials.token : undefined
      const client = new HubClient({
        endpoint: hub.url,
        token,
        userAgent: 'in-process',
        clock,
        random: () => 0.5
      })
      const dryRun = plan.dryRun ? new DryRunSpacesApi(new HubSpacesApi(client)) : undefined
      const spacesApi: SpacesApi = dryRun ?? new HubSpacesApi(client)
      const seen = hub.requests().length
      const info: string[] = []
      const warnings: string[] = []
      try {
        const before = await readBefore(spacesApi, plan)
        const result = await runOperation(
          {
            plan,
            spaces: spacesApi,
            clock,
            random: () => 0.5,
            log: recordingLog(info, warnings),
            env
          },
          before
        )
        const writes = hub
          .requests()
          .slice(seen)
          .filter(r => r.method !== 'GET')
          .map(r => `${r.method} ${r.path}${query(r.query)}${r.body ? ` ${r.body}` : ''}`)
        return { plan, result, info, warnings, writes, ...(dryRun ? { planned: dryRun.writes } : {}) }
      } finally {
        await client.close()
      }
    }
  })
  afterEach(async () => {
    await fixture.hub.close()
  })
  return fixture
}

async function readBefore(spaces: SpacesApi, plan: Plan): Promise<Runtime | undefined> {
  try {
    return await spaces.runtime(plan.spaceId)
  } catch (error) {
    if (error instanceof HubError && error.code === 'not-found' && OPERATIONS[plan.operation].missingSpaceOk)
      return undefined
    throw error
  }
}

/** Info lines and warnings, each in its list; groups run their body. */
export function recordingLog(info: string[], warnings: string[]): Logger {
  return {
    info: line => info.push(line),
    warn: line => warnings.push(line),
    debug: () => undefined,
    error: line => warnings.push(line),
    notice: line => info.push(line),
    untrusted: text => info.push(...text.split('\n')),
    group: (_title, body) => body(),
    startGroup: () => undefined,
    endGroup: () => undefined
  }
}

function query(params: Record<string, string>): string {
  const text = new URLSearchParams(params).toString()
  return text ? `?${text}` : ''
}
