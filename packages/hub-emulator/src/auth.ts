/**
 * Who is calling, and what they may do.
 *
 * - An unknown token is refused on every route: 401 "Invalid username or password." (also in X-Error-Message).
 * - Anonymous callers may read public Spaces. A private or missing Space answers them 401, as the Hub does, so
 *   that anonymous callers cannot probe which private Spaces exist.
 * - A signed-in caller who cannot see a Space (missing, or private and not theirs) gets 404 RepoNotFound.
 * - Writes need a token of the namespace owner, or of an org member with role admin or write; a read-role token
 *   is refused with 403 whatever it targets, and a fine-grained token needs `repo.write` in its scope.
 * - A token minted by the OIDC exchange (`hf_jwt_…`) writes to its one Space and cannot create or delete repos.
 */
import { ErrorReply, repoNotFound, unauthorized, unauthorizedRepo } from './http.js'
import { objectId } from './ids.js'
import type { Space } from './spaces.js'
import type { Account, FineGrainedScope } from './types.js'

/** A token minted by `POST /oauth/token` for one Space. */
export interface MintedGrant {
  token: string
  /** The Space it was minted for. */
  spaceId: string
  namespace: string
  /** clock ms */
  expiresAt: number
  /** The account named like the Space's namespace, when there is one: it pays for hardware. */
  owner: Account | undefined
  /** Claims of the GitHub ID token that was exchanged. */
  claims: Record<string, unknown>
}

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'account'; account: Account }
  | { kind: 'minted'; grant: MintedGrant }

/**
 * Resolves the Authorization header. Anything that is not `Bearer <known token>` is `invalid`, and so is an
 * expired minted token (`minted` answers undefined for those).
 */
export function resolveCaller(
  authorization: string | undefined,
  accounts: readonly Account[],
  minted: (token: string) => MintedGrant | undefined = () => undefined
): Caller {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim())
  if (!match) return { kind: 'invalid' }
  const token = match[1] ?? ''
  const account = accounts.find(a => a.token === token)
  if (account) return { kind: 'account', account }
  const grant = minted(token)
  return grant ? { kind: 'minted', grant } : { kind: 'invalid' }
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

/** Who may delete a namespace's Spaces: its owner, or org admins. */
function isAdmin(account: Account, namespace: string): boolean {
  if (account.name === namespace) return true
  return (account.orgs ?? []).some(org => org.name === namespace && org.roleInOrg === 'admin')
}

export function canSee(caller: Caller, space: Space): boolean {
  if (!space.private) return true
  if (caller.kind === 'minted') return caller.grant.spaceId === space.id
  return caller.kind === 'account' && isMember(caller.account, space.namespace)
}

/** Requires a known account token; throws 401 otherwise (minted tokens are not accounts). */
export function requireAccount(caller: Caller): Account {
  if (caller.kind !== 'account') throw unauthorized()
  return caller.account
}

/** A readable Space, or the Hub's 401/404 answer. */
export function authorizeRead(caller: Caller, space: Space | undefined): Space {
  if (space !== undefined && canSee(caller, space)) return space
  throw caller.kind === 'anonymous' || caller.kind === 'invalid' ? unauthorizedRepo() : repoNotFound()
}

export function forbidden(message: string): ErrorReply {
  return new ErrorReply(403, message)
}

/**
 * The scope of a fine-grained token without an explicit one: its own user, with the permissions of the 2026-07
 * transcript's token that matter here.
 */
export function defaultFineGrained(account: Account): Required<FineGrainedScope> {
  return {
    global: ['discussion.write', 'post.write'],
    scoped: [
      {
        entity: { _id: objectId(`user:${account.name}`), type: 'user', name: account.name },
        permissions: ['repo.content.read', 'repo.access.read', 'repo.write']
      }
    ]
  }
}

/** Whether a fine-grained token grants `permission` on one of `targets` (a Space, or its owner user or org). */
function scopeGrants(
  account: Account,
  targets: { type: 'space' | 'user' | 'org'; name: string }[],
  permission: string
): boolean {
  const scope = account.fineGrained ?? defaultFineGrained(account)
  return scope.scoped.some(
    entry =>
      entry.permissions.includes(permission) &&
      targets.some(t => t.type === entry.entity.type && t.name === entry.entity.name)
  )
}

function spaceTargets(space: Space): { type: 'space' | 'user' | 'org'; name: string }[] {
  return [
    { type: 'space', name: space.id },
    { type: 'user', name: space.namespace },
    { type: 'org', name: space.namespace }
  ]
}

/** The 403 a fine-grained token gets outside its scope (the Hub's wording, plus the permission it lacks). */
export function insufficientScope(resource: string): ErrorReply {
  return forbidden(
    `This authentication method does not have sufficient permissions to call this route: the fine-grained token needs repo.write on ${resource}.`
  )
}

function checkTokenRole(account: Account, what: string): void {
  if ((account.role ?? 'write') === 'read') {
    throw forbidden(
      `Your token has the read role: it cannot ${what}. Use a token with the write role or a fine-grained token.`
    )
  }
}

/**
 * A Space the caller may modify, and whether the caller can pay for hardware. `readOnlyAllowed` lets read-role
 * tokens and fine-grained tokens without `repo.write` through (used for reads restricted to the people who could
 * write: logs, secrets and variables listings).
 */
export function authorizeWrite(
  caller: Caller,
  space: Space | undefined,
  options: { readOnlyAllowed?: boolean } = {}
): { space: Space; canPay: boolean } {
  if (caller.kind === 'minted') {
    const visible = authorizeRead(caller, space)
    if (visible.id !== caller.grant.spaceId) {
      throw forbidden(`This token can only access spaces/${caller.grant.spaceId}`)
    }
    return { space: visible, canPay: caller.grant.owner?.canPay ?? false }
  }
  const account = requireAccount(caller)
  const visible = authorizeRead(caller, space)
  if (!options.readOnlyAllowed) {
    checkTokenRole(account, 'modify this Space')
    if (account.role === 'fineGrained' && !scopeGrants(account, spaceTargets(visible), 'repo.write')) {
      throw insufficientScope(`spaces/${visible.id}`)
    }
  }
  if (!isWriter(account, visible.namespace)) {
    throw forbidden(`You don't have the rights to modify this Space: ${visible.id}`)
  }
  return { space: visible, canPay: account.canPay ?? false }
}

/** The account creating (or duplicating into) a Space under `namespace`. */
export function authorizeCreate(caller: Caller, namespace: string): Account {
  if (caller.kind === 'minted') throw forbidden('This token cannot create repositories')
  const account = requireAccount(caller)
  checkTokenRole(account, 'create repositories')
  if (
    account.role === 'fineGrained' &&
    !scopeGrants(
      account,
      [
        { type: 'user', name: namespace },
        { type: 'org', name: namespace }
      ],
      'repo.write'
    )
  ) {
    throw insufficientScope(namespace)
  }
  if (!isWriter(account, namespace)) {
    throw forbidden(`You don't have the rights to create a space under the namespace "${namespace}"`)
  }
  return account
}

/** DELETE /api/repos/delete: the namespace owner or an org admin; never a minted token. */
export function authorizeDelete(caller: Caller, space: Space | undefined): Space {
  if (caller.kind === 'minted') throw forbidden('This token cannot delete repositories')
  const account = requireAccount(caller)
  const visible = authorizeRead(caller, space)
  checkTokenRole(account, 'delete repositories')
  if (account.role === 'fineGrained' && !scopeGrants(account, spaceTargets(visible), 'repo.write')) {
    throw insufficientScope(`spaces/${visible.id}`)
  }
  if (!isAdmin(account, visible.namespace)) {
    throw forbidden(`You don't have the rights to delete this Space: ${visible.id}`)
  }
  return visible
}

/**
 * Whether gradio and docker Spaces may be created under `namespace`: the account's own namespace needs PRO, an
 * org needs a plan.
 */
export function hasComputePlan(account: Account, namespace: string): boolean {
  if (account.name === namespace) return account.isPro ?? false
  return (account.orgs ?? []).some(org => org.name === namespace && org.plan !== undefined)
}
