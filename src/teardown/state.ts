/**
 * What the main step hands to the post step: which Space, how to tear it down, and what it looked like before.
 * Never the token (post reads it from its inputs again) and never anything derived from a secret.
 */
import { State, TEARDOWNS, type TeardownMode } from '../plan/names.js'
import type { Runtime } from '../hub/types.js'

export interface TeardownState {
  spaceId: string
  endpoint: string
  mode: Exclude<TeardownMode, 'none'>
  /** Absent when the Space did not exist before the step (it was created or duplicated by it). */
  before?: {
    stage: string
    /** The requested flavor before the step (the Space's setting), else the current one. */
    hardware: string | null
    /** null: never sleeps; undefined (absent in JSON): the Space has no sleep time. */
    sleepTime?: number | null
  }
  /** Set when the main step added the safety sleep time: the teardown puts the old one back whatever its mode. */
  safetySleep?: boolean
  /** What the requested flavor costs, and since when, for the cost estimate in the post step's summary. */
  billing?: { flavor: string; usdPerHour: number; since: number }
}

export interface StateStore {
  save(name: string, value: string): void
  get(name: string): string
}

export function teardownState(
  spaceId: string,
  endpoint: string,
  mode: TeardownState['mode'],
  before: Runtime | undefined,
  extra: Pick<TeardownState, 'safetySleep' | 'billing'> = {}
): TeardownState {
  return {
    spaceId,
    endpoint,
    mode,
    ...extra,
    ...(before
      ? {
          before: {
            stage: before.stage,
            hardware: before.requestedHardware ?? before.hardware,
            ...(before.sleepTime !== undefined ? { sleepTime: before.sleepTime } : {})
          }
        }
      : {})
  }
}

export function saveTeardown(store: StateStore, state: TeardownState): void {
  store.save(State.teardown, JSON.stringify(state))
}

/** The saved state, or undefined when main saved none (no teardown, or it failed before reading the Space). */
export function loadTeardown(store: StateStore): TeardownState | undefined {
  const text = store.get(State.teardown)
  if (!text) return undefined
  const value = JSON.parse(text) as Partial<TeardownState>
  const modes: readonly string[] = TEARDOWNS
  if (
    typeof value.spaceId !== 'string' ||
    typeof value.endpoint !== 'string' ||
    !modes.includes(value.mode ?? '')
  ) {
    return undefined
  }
  return value as TeardownState
}
