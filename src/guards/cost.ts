/**
 * Cost guardrails: a price ceiling checked against the Hub's catalogue before any write, and the facts the summary
 * needs to show what the job spent. Prices come from `GET /api/spaces/hardware` (`unitCostUSD` per `unitLabel`).
 */
import { ActionError } from '../errors.js'
import { FREE_FLAVOR } from '../plan/names.js'
import type { HardwareFlavor } from '../hub/types.js'

/** USD per hour, or null when the catalogue gave no price in a unit we know. */
export function hourlyPrice(flavor: HardwareFlavor | undefined): number | null {
  if (!flavor || flavor.unitCostUSD === null) return null
  const unit = (flavor.unitLabel ?? '').toLowerCase()
  if (unit === 'hour' || unit === 'hr' || unit === 'h') return flavor.unitCostUSD
  if (unit === 'minute' || unit === 'min') return flavor.unitCostUSD * 60
  return null
}

/** Paid unless the catalogue says it is free; an unknown price counts as paid, except for cpu-basic. */
export function isPaid(name: string, price: number | null): boolean {
  return price === null ? name !== FREE_FLAVOR : price > 0
}

/** Fails before any write when the flavor costs more than `max` USD per hour, or when its price cannot be known. */
export function checkCeiling(name: string, price: number | null, max: number | undefined): void {
  if (max === undefined) return
  if (price === null) {
    throw new ActionError(
      'bad-input',
      `Cannot check "${name}" against max-hourly-cost: the Hub's catalogue gave no price for it.`,
      'Re-run when the catalogue can be read, or remove max-hourly-cost.'
    )
  }
  if (price > max) {
    throw new ActionError(
      'bad-input',
      `"${name}" costs ${usd(price)}/hour, more than max-hourly-cost (${usd(max)}/hour).`,
      'Request a cheaper flavor, or raise max-hourly-cost in the workflow.'
    )
  }
}

export function usd(amount: number): string {
  return `$${amount < 1 ? amount.toFixed(amount < 0.1 && amount > 0 ? 3 : 2) : amount.toFixed(2)}`
}
