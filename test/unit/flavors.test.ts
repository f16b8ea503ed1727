import { describe, expect, it } from '@jest/globals'
import { checkFlavor, closest, BUILT_IN_FLAVORS } from '../../src/guards/flavors.js'
import { ActionError } from '../../src/errors.js'
import type { SpacesApi } from '../../src/hub/spaces.js'
import type { HardwareFlavor } from '../../src/hub/types.js'

function spaces(catalogue: HardwareFlavor[] | Error): SpacesApi {
  return {
    hardwareCatalogue: () =>
      catalogue instanceof Error ? Promise.reject(catalogue) : Promise.resolve(catalogue)
  } as unknown as SpacesApi
}
const t4: HardwareFlavor = {
  name: 't4-small',
  prettyName: 'Nvidia T4 - small',
  unitCostUSD: 0.4,
  unitLabel: 'hour'
}

describe('checkFlavor', () => {
  it('finds the flavor, with its price, in the live catalogue', async () => {
    await expect(checkFlavor(spaces([t4]), 't4-small', () => undefined)).resolves.toEqual({
      flavor: t4,
      live: true
    })
  })

  it('names the closest valid flavors for a typo', async () => {
    const error = (await checkFlavor(
      spaces([t4, { ...t4, name: 't4-medium' }, { ...t4, name: 'cpu-basic' }]),
      't4-smal',
      () => undefined
    ).catch((e: unknown) => e)) as ActionError
    expect(error.code).toBe('unknown-hardware')
    expect(error.advice).toContain('Closest valid flavors: t4-small, t4-medium')
  })

  it('falls back to the built-in list, with a warning, when the catalogue cannot be read', async () => {
    const warnings: string[] = []
    await expect(
      checkFlavor(spaces(new Error('HTTP 503')), 'a100x8', w => warnings.push(w))
    ).resolves.toEqual({ flavor: undefined, live: false })
    expect(warnings[0]).toContain('built-in list')
    await expect(checkFlavor(spaces(new Error('HTTP 503')), 'h100', () => undefined)).rejects.toMatchObject({
      code: 'unknown-hardware'
    })
  })

  it('does not treat a cancellation as a catalogue failure', async () => {
    await expect(
      checkFlavor(spaces(new ActionError('cancelled', 'x')), 't4-small', () => undefined)
    ).rejects.toMatchObject({ code: 'cancelled' })
  })
})

describe('closest', () => {
  it('ranks by edit distance', () => {
    expect(closest('a10g-smal', BUILT_IN_FLAVORS)[0]).toBe('a10g-small')
    expect(closest('cpu-basics', BUILT_IN_FLAVORS)[0]).toBe('cpu-basic')
  })
})
