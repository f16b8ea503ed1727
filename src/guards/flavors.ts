/**
 * Hardware flavor validation. The catalogue changes (H100 removed in 2025, A100x4/x8 added in 2026), so the live
 * `GET /api/spaces/hardware` is the authority; the built-in list is only the fallback when it cannot be read.
 */
import { ActionError } from '../errors.js'
import type { SpacesApi } from '../hub/spaces.js'
import type { HardwareFlavor } from '../hub/types.js'

/** What the Hub accepted for Spaces in 2026-08 (shared/docs/hub-api.md §7). */
export const BUILT_IN_FLAVORS: readonly string[] = [
  'cpu-basic',
  'cpu-upgrade',
  'cpu-performance',
  'cpu-xl',
  'sprx8',
  'zero-a10g',
  'inf2x6',
  't4-small',
  't4-medium',
  'l4x1',
  'l4x4',
  'l40sx1',
  'l40sx4',
  'l40sx8',
  'a10g-small',
  'a10g-large',
  'a10g-largex2',
  'a10g-largex4',
  'a100-large',
  'a100x4',
  'a100x8',
  'h200',
  'h200x2',
  'h200x4',
  'h200x8',
  'rtx-pro-6000',
  'rtx-pro-6000x2',
  'rtx-pro-6000x4',
  'rtx-pro-6000x8'
]

export interface FlavorCheck {
  /** The catalogue entry (with its price) when the live catalogue was read. */
  flavor: HardwareFlavor | undefined
  /** False when the live catalogue could not be read and the built-in list was used. */
  live: boolean
}

/** Fails with the closest valid names when `name` is not a flavor. Never writes. */
export async function checkFlavor(
  spaces: SpacesApi,
  name: string,
  warn: (text: string) => void
): Promise<FlavorCheck> {
  let catalogue: HardwareFlavor[] | undefined
  try {
    catalogue = await spaces.hardwareCatalogue()
  } catch (error) {
    if (error instanceof ActionError && error.code === 'cancelled') throw error
    warn(
      `Could not read the Hub's hardware catalogue (${error instanceof Error ? error.message : String(error)}); ` +
        'checking the flavor against the built-in list instead.'
    )
  }
  const names = catalogue?.length ? catalogue.map(f => f.name) : BUILT_IN_FLAVORS
  if (!names.includes(name)) {
    throw new ActionError(
      'unknown-hardware',
      `"${name}" is not a hardware flavor the Hub offers for Spaces.`,
      `Closest valid flavors: ${closest(name, names).join(', ')}. All flavors: ${names.join(', ')}.`
    )
  }
  return { flavor: catalogue?.find(f => f.name === name), live: Boolean(catalogue?.length) }
}

/** The `count` names nearest to `name` by edit distance, nearest first. */
export function closest(name: string, names: readonly string[], count = 3): string[] {
  return [...names]
    .map(candidate => ({ candidate, distance: editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(entry => entry.candidate)
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
