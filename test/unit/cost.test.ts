import { describe, expect, it } from '@jest/globals'
import { checkCeiling, hourlyPrice, isPaid, usd } from '../../src/guards/cost.js'
import { refusalFacts as explain } from '../../src/auth/explain-refusal.js'
import type { WhoAmI } from '../../src/hub/types.js'

describe('prices', () => {
  it('reads the catalogue price per hour or per minute', () => {
    expect(hourlyPrice({ name: 't4-small', prettyName: '', unitCostUSD: 0.4, unitLabel: 'hour' })).toBe(0.4)
    expect(
      hourlyPrice({ name: 't4-small', prettyName: '', unitCostUSD: 0.01, unitLabel: 'minute' })
    ).toBeCloseTo(0.6)
    expect(hourlyPrice({ name: 'x', prettyName: '', unitCostUSD: 1, unitLabel: 'fortnight' })).toBeNull()
    expect(hourlyPrice(undefined)).toBeNull()
  })

  it('counts an unknown price as paid, except on cpu-basic', () => {
    expect([
      isPaid('t4-small', null),
      isPaid('cpu-basic', null),
      isPaid('zero-a10g', 0),
      isPaid('t4-small', 0.4)
    ]).toEqual([true, false, false, true])
  })

  it('refuses a flavor over the ceiling, or one whose price is unknown', () => {
    expect(() => checkCeiling('a100-large', 2.5, 1)).toThrow(
      '"a100-large" costs $2.50/hour, more than max-hourly-cost ($1.00/hour)'
    )
    expect(() => checkCeiling('t4-small', null, 1)).toThrow('gave no price')
    expect(() => checkCeiling('t4-small', 0.4, 1)).not.toThrow()
    expect(() => checkCeiling('t4-small', null, undefined)).not.toThrow()
  })

  it('formats amounts', () => {
    expect([usd(0.4), usd(2.5), usd(0.004)]).toEqual(['$0.40', '$2.50', '$0.004'])
  })
})

describe('explaining a refusal', () => {
  const me = (over: Partial<WhoAmI>): WhoAmI => ({
    name: 'alice',
    canPay: true,
    orgs: [],
    authType: 'access_token',
    tokenName: 'ci',
    tokenRole: 'write',
    scoped: [],
    ...over
  })

  it('names the account and token, never the secret', () => {
    expect(explain(me({}), 'alice/app', 'pause', false)).toEqual([
      'The Hub sees the token "ci" of alice (role write).'
    ])
  })

  it('says a read token is read-only', () => {
    expect(explain(me({ tokenRole: 'read' }), 'alice/app', 'restart', false).join(' ')).toContain(
      'It is read-only'
    )
  })

  it('says a fine-grained token lacks repo.write on the Space', () => {
    const facts = explain(
      me({
        tokenRole: 'fineGrained',
        scoped: [{ entityType: 'space', entityName: 'alice/app', permissions: ['repo.content.read'] }]
      }),
      'alice/app',
      'request-hardware',
      false
    )
    expect(facts.join(' ')).toContain('no "repo.write" permission on alice/app')
    const granted = explain(
      me({
        tokenRole: 'fineGrained',
        scoped: [{ entityType: 'user', entityName: 'alice', permissions: ['repo.write'] }]
      }),
      'alice/app',
      'request-hardware',
      false
    )
    expect(granted.join(' ')).not.toContain('repo.write')
  })

  it('explains organization membership, roles, ownership and billing', () => {
    expect(explain(me({}), 'acme/app', 'pause', false).join(' ')).toContain('alice is not a member of acme')
    const reader = explain(
      me({ orgs: [{ name: 'acme', roleInOrg: 'read' }] }),
      'acme/app',
      'restart',
      false
    ).join(' ')
    expect(reader).toContain('role in acme is "read"')
    expect(reader).toContain('Only the owner can pause or restart')
    expect(explain(me({ canPay: false }), 'alice/app', 'request-hardware', true).join(' ')).toContain(
      'no payment method'
    )
  })
})
