/**
 * What every step that requests a flavor checks before any write (flavor, allowed list, price ceiling), and what
 * follows from its price: the safety sleep time and the billing the post step reports. Shared by the one-Space and
 * the many-Spaces steps.
 */
import type { SpacesApi } from '../hub/spaces.js'
import { requestedHardware, requestedSleep, type Plan } from '../plan/plan.js'
import type { TeardownState } from '../teardown/state.js'
import { checkCeiling, hourlyPrice, isPaid } from './cost.js'
import { checkFlavor } from './flavors.js'

export interface Guarded {
  /** The requested flavor, when the plan asks for one. */
  flavor: string | undefined
  /** USD per hour, when the catalogue gave a price. */
  price: number | null
  paid: boolean
}

export const UNGUARDED: Guarded = { flavor: undefined, price: null, paid: false }

export async function guardFlavor(
  spaces: SpacesApi,
  plan: Plan,
  warn: (text: string) => void
): Promise<Guarded> {
  const hardware = requestedHardware(plan)
  if (!hardware) return UNGUARDED
  const { flavor } = await checkFlavor(spaces, hardware, warn)
  const price = hourlyPrice(flavor)
  checkCeiling(hardware, price, plan.maxHourlyCost)
  return { flavor: hardware, price, paid: isPaid(hardware, price) }
}

/**
 * A paid upgrade with a teardown and no sleep time of its own gets a safety sleep time: if the runner dies before the
 * post step, the Hub stops billing once the Space is idle. The post step puts the old one back.
 */
export function safetySleep(plan: Plan, guarded: Guarded): number | undefined {
  const applies = requestedSleep(plan) === undefined && plan.teardown !== 'none' && guarded.paid
  return applies ? plan.safetySleepSeconds : undefined
}

/** What the teardown state records of the guard: the safety sleep to undo, and the billing to report. */
export function guardedTeardown(
  plan: Plan,
  guarded: Guarded,
  now: number
): Pick<TeardownState, 'safetySleep' | 'billing'> {
  return {
    ...(safetySleep(plan, guarded) ? { safetySleep: true } : {}),
    ...(guarded.flavor && guarded.price
      ? { billing: { flavor: guarded.flavor, usdPerHour: guarded.price, since: now } }
      : {})
  }
}
