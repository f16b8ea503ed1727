/**
 * What the main step hands to the post step: which Space, how to tear it down, and what it looked like before.
 * Never the token (post reads it from its inputs again) and never anything derived from a secret.
 */
import { ActionError } from '../errors.js'
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
  return validTeardown(JSON.parse(text))
}

/** Several Spaces (src/steps/fleet.ts): one state per Space the main step read, saved as one list. */
export function saveFleetTeardown(store: StateStore, states: TeardownState[]): void {
  store.save(State.fleetTeardown, JSON.stringify(states))
}

/** The saved list, or undefined when there is none. A list with any invalid entry is refused whole, loudly. */
export function loadFleetTeardown(store: StateStore): TeardownState[] | undefined {
  const text = store.get(State.fleetTeardown)
  if (!text) return undefined
  const value: unknown = JSON.parse(text)
  const states = Array.isArray(value) ? value.map(validTeardown) : []
  if (!Array.isArray(value) || states.some(state => state === undefined)) {
    throw new ActionError(
      'bug',
      'The teardown list the main step saved is not valid, so no Space was torn down.',
      'Check the Spaces by hand; this is a bug in the action: please report it.'
    )
  }
  return states as TeardownState[]
}

function validTeardown(value: unknown): TeardownState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const state = value as Partial<TeardownState>
  const modes: readonly string[] = TEARDOWNS
  if (
    typeof state.spaceId !== 'string' ||
    typeof state.endpoint !== 'string' ||
    !modes.includes(state.mode ?? '')
  ) {
    return undefined
  }
  return state as TeardownState
}
