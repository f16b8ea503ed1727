/**
 * What the main step hands to the post step: which Space, how to tear it down, what it looked like before, and what
 * this step itself set or created (so the post step undoes only its own change). Never the token (post reads it from
 * its inputs again) and never anything derived from a secret.
 *
 * The post step trusts none of it: `loadTeardown` validates the state as strictly as the inputs are validated and
 * binds it to the Space, endpoint and mode the post step reads from its own inputs.
 */
import { State, TEARDOWNS, type TeardownMode } from '../plan/names.js'
import { NEVER_SLEEP, type Runtime } from '../hub/types.js'
import { ActionError, badInput } from '../errors.js'
import { isLoopback, readEndpoint, readSpaceId } from '../plan/read-inputs.js'

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
  /**
   * create and duplicate only: whether this step made the Space. `sending` while its request had no answer: the
   * Space may be this step's or someone else's, so `teardown: delete` never deletes it on that guess.
   */
  created?: 'no' | 'sending' | 'yes'
  /**
   * The hardware and sleep time (seconds, NEVER_SLEEP for never) this step set, saved before the request went out. `landed` is
   * false until the Hub answered: a request still in flight when the job was cancelled can land after the post step
   * first reads the Space, so the post step watches for it. `at`: when it was sent (ms since the epoch).
   */
  set?: { hardware?: string; sleepTime?: number; landed: boolean; at: number }
}

/** A write the teardown must know about, recorded before it is sent. */
export type TrackedWrite = { created: true } | { hardware?: string; sleepTime?: number }

export interface StateStore {
  save(name: string, value: string): void
  get(name: string): string
}

export function teardownState(
  spaceId: string,
  endpoint: string,
  mode: TeardownState['mode'],
  before: Runtime | undefined,
  extra: Pick<TeardownState, 'safetySleep' | 'billing' | 'created'> = {}
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

/**
 * Keeps the saved state in step with the writes the main step makes: each tracked write is saved as intended before it
 * is sent, and as landed once the Hub answers. A refusal the Hub answered (4xx) did not happen, so its intent is
 * dropped; anything else (no answer, a 5xx, cancellation) may have happened and stays for the post step to watch.
 */
export class TeardownJournal {
  /** `save` writes the state where the post step finds it: alone, or as one entry of a many-Spaces list. */
  constructor(
    private readonly save: (state: TeardownState) => void,
    private state: TeardownState,
    private readonly now: () => number = Date.now
  ) {
    save(state)
  }

  async track<T>(change: TrackedWrite, write: () => Promise<T>): Promise<T> {
    const previous = this.state
    this.update(
      'created' in change
        ? { ...previous, created: 'sending' }
        : { ...previous, set: { ...previous.set, ...change, landed: false, at: this.now() } }
    )
    let result: T
    try {
      result = await write()
    } catch (error) {
      if (error instanceof ActionError && error.status >= 400 && error.status < 500) this.update(previous)
      throw error
    }
    const sent = this.state
    this.update(
      'created' in change
        ? { ...sent, created: 'yes' }
        : { ...sent, ...(sent.set ? { set: { ...sent.set, landed: true } } : {}) }
    )
    return result
  }

  private update(state: TeardownState): void {
    this.state = state
    this.save(state)
  }
}

/** What the post step reads from its own inputs: the state must be about the same Space, endpoint and mode. */
export interface Expected {
  spaceId: string
  endpoint: string
  mode: string
}

/**
 * The saved state, or undefined when main saved none (no teardown, or it failed before reading the Space). A state
 * that is present but malformed, or about another Space, endpoint or mode than the inputs, is an error: the post step
 * must not guess, and must not stay silent either.
 */
export function loadTeardown(store: StateStore, expected: () => Expected): TeardownState | undefined {
  const text = store.get(State.teardown)
  if (!text) return undefined
  const state = parseTeardown(text)
  const want = expected()
  for (const [field, saved, input] of [
    ['Space', state.spaceId, want.spaceId],
    ['endpoint', state.endpoint, want.endpoint],
    ['teardown mode', state.mode, want.mode]
  ] as const) {
    if (saved !== input) {
      throw unusable(`it names the ${field} "${saved}", but this step's inputs say "${input}"`)
    }
  }
  return state
}

const FLAVOR = /^[a-z0-9][a-z0-9-]*$/
const STAGE = /^[A-Z_]{1,40}$/

/** Parses and validates a saved state: known fields only, each of the type and form the main step writes. */
export function parseTeardown(text: string): TeardownState {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw unusable('it is not JSON')
  }
  const root = record(value, 'the state', [
    'spaceId',
    'endpoint',
    'mode',
    'before',
    'safetySleep',
    'billing',
    'created',
    'set'
  ])
  const spaceId = root.spaceId
  if (typeof spaceId !== 'string') throw unusable('spaceId is missing')
  try {
    readSpaceId(spaceId)
  } catch {
    throw unusable(`spaceId "${spaceId}" is not owner/name`)
  }
  const state: TeardownState = { spaceId, endpoint: endpoint(root.endpoint), mode: mode(root.mode) }
  if (root.before !== undefined) {
    const before = record(root.before, 'before', ['stage', 'hardware', 'sleepTime'])
    if (typeof before.stage !== 'string' || !STAGE.test(before.stage))
      throw unusable('before.stage is not a stage')
    if (before.hardware !== null && !flavor(before.hardware))
      throw unusable('before.hardware is not a flavor')
    if (before.sleepTime !== undefined && before.sleepTime !== null && !seconds(before.sleepTime, 0)) {
      throw unusable('before.sleepTime is not a number of seconds')
    }
    state.before = {
      stage: before.stage,
      hardware: before.hardware,
      ...(before.sleepTime !== undefined ? { sleepTime: before.sleepTime } : {})
    }
  }
  if (root.safetySleep !== undefined) {
    if (typeof root.safetySleep !== 'boolean') throw unusable('safetySleep is not true or false')
    state.safetySleep = root.safetySleep
  }
  if (root.billing !== undefined) {
    const billing = record(root.billing, 'billing', ['flavor', 'usdPerHour', 'since'])
    if (!flavor(billing.flavor)) throw unusable('billing.flavor is not a flavor')
    if (!finite(billing.usdPerHour) || billing.usdPerHour < 0)
      throw unusable('billing.usdPerHour is not a price')
    if (!finite(billing.since)) throw unusable('billing.since is not a time')
    state.billing = { flavor: billing.flavor, usdPerHour: billing.usdPerHour, since: billing.since }
  }
  if (root.created !== undefined) {
    if (root.created !== 'no' && root.created !== 'sending' && root.created !== 'yes') {
      throw unusable('created is not no, sending or yes')
    }
    state.created = root.created
  }
  if (root.set !== undefined) {
    const set = record(root.set, 'set', ['hardware', 'sleepTime', 'landed', 'at'])
    if (set.hardware !== undefined && !flavor(set.hardware)) throw unusable('set.hardware is not a flavor')
    if (set.sleepTime !== undefined && !seconds(set.sleepTime, NEVER_SLEEP))
      throw unusable('set.sleepTime is not seconds')
    if (typeof set.landed !== 'boolean') throw unusable('set.landed is not true or false')
    if (!finite(set.at)) throw unusable('set.at is not a time')
    state.set = {
      ...(set.hardware !== undefined ? { hardware: set.hardware } : {}),
      ...(set.sleepTime !== undefined ? { sleepTime: set.sleepTime } : {}),
      landed: set.landed,
      at: set.at
    }
  }
  return state
}

/** The endpoint rules of the inputs: http(s), no credentials, query or fragment, plain http only to loopback. */
function endpoint(value: unknown): string {
  if (typeof value !== 'string') throw unusable('endpoint is missing')
  // Never quoted back: a forged endpoint could carry credentials.
  if (URL.canParse(value) && (new URL(value).username || new URL(value).password))
    throw unusable('endpoint carries credentials')
  let normal: string
  try {
    normal = readEndpoint(value)
  } catch {
    throw unusable('endpoint is not an http(s) URL without query or fragment')
  }
  const url = new URL(normal)
  if (normal !== value) throw unusable('endpoint is not in the form the main step saves')
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw unusable(`endpoint ${url.host} is plain http and not a loopback address`)
  }
  return normal
}

function mode(value: unknown): TeardownState['mode'] {
  const modes: readonly unknown[] = TEARDOWNS
  if (value === 'none' || !modes.includes(value))
    throw unusable(`mode ${JSON.stringify(value)} is not a teardown`)
  return value as TeardownState['mode']
}

function record(value: unknown, what: string, fields: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw unusable(`${what} is not an object`)
  const unknown = Object.keys(value).filter(key => !fields.includes(key))
  if (unknown.length) throw unusable(`${what} has unknown field(s) ${unknown.join(', ')}`)
  return value as Record<string, unknown>
}

function flavor(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && FLAVOR.test(value)
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function seconds(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min
}

function unusable(why: string): ActionError {
  return badInput(`The teardown state the main step saved is unusable: ${why}.`)
}

/** Several Spaces (src/steps/fleet.ts): one state per Space the main step read, saved as one list. */
export function saveFleetTeardown(store: StateStore, states: TeardownState[]): void {
  store.save(State.fleetTeardown, JSON.stringify(states))
}

/** The saved list, or undefined when there is none. Each entry is checked as strictly as a single state. */
export function loadFleetTeardown(store: StateStore): TeardownState[] | undefined {
  const text = store.get(State.fleetTeardown)
  if (!text) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw unusable('the list is not JSON')
  }
  if (!Array.isArray(value)) throw unusable('the list is not a list')
  return value.map(entry => parseTeardown(JSON.stringify(entry)))
}
