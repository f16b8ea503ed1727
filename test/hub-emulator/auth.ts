/**
 * Who is calling, and what they may do.
 *
 * - An unknown token is refused on every route: 401 "Invalid username or password." (also in X-Error-Message).
 * - Anonymous callers may read public Spaces. A private or missing Space answers them 401, as the Hub does, so
 *   that anonymous callers cannot probe which private Spaces exist.
 * - A signed-in caller who cannot see a Space (missing, or private and not theirs) gets 404 RepoNotFound.
 * - Writes need a token of the namespace owner, or of an org member with role admin or write; a read-role token
 *   is refused with 403 whatever it targets.
 */
import { HubError, repoNotFound, unauthorized, unauthorizedRepo } from './http.js'
import type { Space } from './spaces.js'
import type { Account } from './types.js'

export type Caller = { kind: 'anonymous' } | { kind: 'invalid' } | { kind: 'account'; account: Account }

/** Resolves the Authorization header. Anything that is not `Bearer <known token>` is `invalid`. */
export function resolveCaller(authorization: string | undefined, accounts: readonly Account[]): Caller {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim())
  const account = match ? accounts.find(a => a.token === match[1]) : undefined
  return account ? { kind: 'account', account } : { kind: 'invalid' }
}

/** Members of the namespace: the account itself, or any member of the org. */
function isMember(account: Account, namespace: string): boolean {
  return account.name === namespace || (account.orgs ?? []).some(org => org.name === namespace)
}

/** Who may modify a namespace's Spaces: its owner, or org members with role admin or write. */
export function isWriter(account: Account, namespace: string): boolean {
  if (account.name === namespace) return true
  return (account.orgs ?? []).some(
    org => org.name === namespace && (org.roleInOrg === 'admin' || org.roleInOrg === 'write')
  )
}

export function canSee(caller: Caller, space: Space): boolean {
  if (!space.private) return true
  return caller.kind === 'account' && isMember(caller.account, space.namespace)
}

/** Requires a known token when one is needed; throws 401. */
export function requireAccount(caller: Caller): Account {
  if (caller.kind !== 'account') throw unauthorized()
  return caller.account
}

/** A readable Space, or the Hub's 401/404 answer. */
export function authorizeRead(caller: Caller, space: Space | undefined): Space {
  if (space !== undefined && canSee(caller, space)) return space
  throw caller.kind === 'account' ? repoNotFound() : unauthorizedRepo()
}

export function forbidden(message: string): HubError {
  return new HubError(403, message)
}

/**
 * A Space the caller may modify. `readOnlyAllowed` lets read-role tokens through (used for the log streams, which
 * are reads restricted to the people who could write).
 */
export function authorizeWrite(
  caller: Caller,
  space: Space | undefined,
  options: { readOnlyAllowed?: boolean } = {}
): { space: Space; account: Account } {
  const account = requireAccount(caller)
  const visible = authorizeRead(caller, space)
  if (!options.readOnlyAllowed && (account.role ?? 'write') === 'read') {
    throw forbidden(
      'Your token has the read role: it cannot modify this Space. Use a token with the write role or a fine-grained token.'
    )
  }
  if (!isWriter(account, visible.namespace)) {
    throw forbidden(`You don't have the rights to modify this Space: ${visible.id}`)
  }
  return { space: visible, account }
}
