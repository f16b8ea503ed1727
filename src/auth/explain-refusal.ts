/**
 * Explains a 401/402/403 with what the Hub says about the token (`GET /api/whoami-v2`): which account, which kind of
 * token, whether it may write this Space, the caller's role in the owning organization, and billing. whoami is rate
 * limited hard, so this runs once, and only after a refusal.
 */
import { ActionError } from '../errors.js'
import { whoAmI } from '../hub/account.js'
import type { HubClient } from '../hub/client.js'
import type { WhoAmI } from '../hub/types.js'
import { OPERATIONS, type Operation } from '../plan/operations.js'

const WRITE_ROLES = new Set(['admin', 'write'])

export async function explainRefusal(
  client: HubClient,
  spaceId: string,
  operation: Operation,
  paid: boolean
): Promise<string> {
  let me: WhoAmI
  try {
    me = await whoAmI(client)
  } catch (error) {
    if (error instanceof ActionError && error.status === 401) {
      return 'The Hub does not accept this token at all (whoami answered 401): it is invalid, expired or revoked.'
    }
    return ''
  }
  return refusalFacts(me, spaceId, operation, paid).join(' ')
}

/** What whoami shows about why the Hub refused: who the token is, what it may do, and what to change. */
export function refusalFacts(me: WhoAmI, spaceId: string, operation: Operation, paid: boolean): string[] {
  const [namespace = ''] = spaceId.split('/')
  const token = me.tokenName ? `the token "${me.tokenName}"` : 'a token'
  const facts = [`The Hub sees ${token} of ${me.name}${me.tokenRole ? ` (role ${me.tokenRole})` : ''}.`]
  if (me.tokenRole === 'read') {
    facts.push(`It is read-only: use a write token, or a fine-grained token with write access to ${spaceId}.`)
  }
  if (me.tokenRole === 'fineGrained') {
    const grants = me.scoped.filter(s => s.entityName === spaceId || s.entityName === namespace)
    if (!grants.some(s => s.permissions.includes('repo.write'))) {
      facts.push(
        `This fine-grained token has no "repo.write" permission on ${spaceId} or ${namespace}: add it in the token's settings.`
      )
    }
  }
  if (namespace !== me.name) {
    const org = me.orgs.find(o => o.name === namespace)
    if (!org) facts.push(`${me.name} is not a member of ${namespace}, which owns the Space.`)
    else if (org.roleInOrg && !WRITE_ROLES.has(org.roleInOrg)) {
      facts.push(
        `${me.name}'s role in ${namespace} is "${org.roleInOrg}"; changing its Spaces needs write or admin.`
      )
    }
    if ('ownerOnly' in OPERATIONS[operation]) facts.push('Only the owner can pause or restart a Space.')
  }
  if (paid && me.canPay === false) {
    facts.push(
      `${me.name} has no payment method for paid hardware: add one at https://huggingface.co/settings/billing.`
    )
  }
  if (me.authType && me.authType !== 'access_token') {
    facts.push(
      'A keyless (OIDC) token works only for the Space it was minted for, and cannot create repositories.'
    )
  }
  return facts
}
