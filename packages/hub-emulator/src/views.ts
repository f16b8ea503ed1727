/**
 * JSON bodies, built in the key order the Hub uses (REC: huggingface_hub's VCR cassettes, see this package's
 * test/fixtures/hub-samples). Key order matters: the conformance test compares bodies byte for byte.
 */
import { defaultFineGrained, type MintedGrant } from './auth.js'
import { contentOid, fileSize, sortedPaths, type Commit } from './git.js'
import { objectId } from './ids.js'
import { MASKED_SOURCE, type ConfigEntry, type Space } from './spaces.js'
import type { Account, CommitView, FileView, SpaceView } from './types.js'

export { objectId }

/** The avatar path whoami and the commits listing give a user or an organization. */
export function avatarUrl(name: string): string {
  return `/avatars/${objectId(`avatar:${name}`)}.svg`
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/**
 * `GET /api/spaces/{id}/runtime`, and the answer of hardware, sleeptime, pause and restart.
 *
 * A compute Space: `{"stage","hardware":{"current","requested"},"storage":null,"gcTimeout",["errorMessage"],
 * "replicas","devMode":false,"domains":[…]}` (REC 2025-03). A static Space: exactly the REC shape of
 * `victor/static-space`, with no gcTimeout, devMode or domains.
 */
export function runtimeJson(space: Space, now: number): Record<string, unknown> {
  const seen = space.observe(now)
  const body: Record<string, unknown> = { stage: seen.stage }
  if (space.isStatic) {
    body.hardware = { current: null, requested: null }
    body.storage = null
  } else {
    body.hardware = { current: seen.current, requested: space.requested }
    body.storage = null
    body.gcTimeout = space.gcTimeout
  }
  if (seen.errorMessage !== null) body.errorMessage = seen.errorMessage
  const serving = space.isStatic ? seen.stage === 'RUNNING' : seen.current !== null
  body.replicas = serving ? { requested: 1, current: 1 } : { requested: 1 }
  // Unconfirmed (docs/hub-api.md §5): served only when the Space asks for it; no recording carries it.
  if (space.runtimeSha) body.sha = space.servingSha(now)
  if (!space.isStatic) {
    body.devMode = false
    body.domains = [{ domain: domainOf(space), stage: 'READY' }]
    // PY `SpaceRuntime` parses `volumes`; the emulator reports them only when some are mounted.
    if (space.volumes.length > 0) {
      body.volumes = space.volumes.map(v => ({
        ...v,
        ...(space.hiddenSources.has(v.source) ? { source: MASKED_SOURCE } : {})
      }))
    }
  }
  return body
}

/** The domain the runtime reports: the app's loopback address when the Space has one (SpaceSpec.app). */
function domainOf(space: Space): string {
  return space.appPort === undefined ? `${space.subdomain}.hf.space` : `127.0.0.1:${space.appPort}`
}

function hostOf(space: Space): string {
  return space.appPort === undefined
    ? `https://${space.subdomain}.hf.space`
    : `http://127.0.0.1:${space.appPort}`
}

/** The files of a commit (default: the head of main), in git order. */
export function siblings(space: Space, commit: Commit = space.repo.head()): string[] {
  return sortedPaths(commit.files)
}

export function spaceObjectId(space: Space): string {
  return space.repoObjectId ?? objectId(`space:${space.id}`)
}

/**
 * `GET /api/spaces/{id}`: the Space info, with the runtime embedded. `sha` is the head of main, from the moment a
 * commit lands (docs/hub-api.md §6.8), as `/revision/main` says too; `siblings` are the files there.
 */
export function spaceInfoJson(space: Space, now: number): Record<string, unknown> {
  return {
    _id: spaceObjectId(space),
    id: space.id,
    author: space.namespace,
    sha: space.repo.head().sha,
    lastModified: iso(space.lastModified),
    private: space.private,
    gated: false,
    disabled: false,
    host: hostOf(space),
    subdomain: space.subdomain,
    likes: 0,
    sdk: space.sdk,
    tags: [],
    createdAt: iso(space.createdAt),
    siblings: siblings(space).map(rfilename => ({ rfilename })),
    runtime: runtimeJson(space, now)
  }
}

/**
 * `GET /api/spaces/{id}/revision/{rev}`: the Space info at a revision (`sha` and `siblings` of that commit,
 * `lastModified` its date). With `expand`, only `_id`, `id` and the expanded keys, in the order asked (REC:
 * `?expand=xetEnabled` → `{"_id","id","xetEnabled":false}`).
 */
export function revisionJson(
  space: Space,
  commit: Commit,
  now: number,
  expand: readonly string[]
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    ...spaceInfoJson(space, now),
    sha: commit.sha,
    lastModified: iso(commit.time),
    siblings: siblings(space, commit).map(rfilename => ({ rfilename }))
  }
  if (expand.length === 0) return full
  const extra: Record<string, unknown> = { ...full, xetEnabled: false }
  const picked: Record<string, unknown> = { _id: full._id, id: full.id }
  for (const key of expand) if (key in extra && !(key in picked)) picked[key] = extra[key]
  return picked
}

function commitView(commit: Commit): CommitView {
  return {
    sha: commit.sha,
    title: commit.title,
    description: commit.description,
    parent: commit.parent,
    date: iso(commit.time),
    author: commit.author,
    ref: commit.ref,
    files: [...commit.changed]
  }
}

export function filesView(commit: Commit): Record<string, FileView> {
  const out: Record<string, FileView> = {}
  for (const path of sortedPaths(commit.files)) {
    const file = commit.files.get(path)!
    out[path] = { size: fileSize(file), lfs: file.lfs, sha: contentOid(file) }
  }
  return out
}

/**
 * `GET /api/spaces/{id}/secrets`: key → {key, description?, updatedAt}, never the value. No recording exists;
 * SPEC requires the inner `key`, and the order follows the SPEC properties (key, description, updatedAt).
 */
export function secretsJson(space: Space): SpaceView['secrets'] {
  const out: SpaceView['secrets'] = {}
  for (const [key, entry] of space.secrets) {
    out[key] = { key, ...described(entry), updatedAt: iso(entry.updatedAt) }
  }
  return out
}

/**
 * `GET /api/spaces/{id}/variables`, and the answer of POST and DELETE: key → {value, description?, updatedAt}
 * in insertion order, with no inner `key` (REC 2023-12 and 2025-03).
 */
export function variablesJson(space: Space): SpaceView['variables'] {
  const out: SpaceView['variables'] = {}
  for (const [key, entry] of space.variables) {
    out[key] = { value: entry.value, ...described(entry), updatedAt: iso(entry.updatedAt) }
  }
  return out
}

/** `{description}` when one was set, else nothing (REC leaves the key out). */
function described(entry: ConfigEntry): { description?: string } {
  return entry.description === undefined ? {} : { description: entry.description }
}

export function spaceView(space: Space, now: number): SpaceView {
  return {
    id: space.id,
    runtime: runtimeJson(space, now),
    info: spaceInfoJson(space, now),
    sdk: space.sdk,
    private: space.private,
    visibility: space.visibility,
    restarts: space.restarts,
    secrets: secretsJson(space),
    variables: variablesJson(space),
    volumes: space.volumes.map(v => ({ ...v })),
    trustedPublishers: space.trustedPublishers.map(p => ({ ...p })),
    sha: space.repo.head().sha,
    serving: space.servingSha(now),
    head: space.repo.head().sha,
    lastModified: iso(space.lastModified),
    commits: space.repo.commits.map(commitView),
    files: filesView(space.repo.head()),
    pullRequests: [...space.repo.refs]
      .filter(([ref]) => ref.startsWith('refs/pr/'))
      .map(([ref, head]) => ({ num: Number(ref.slice('refs/pr/'.length)), ref, head }))
  }
}

const TOKEN_CREATED_AT = '2026-01-01T00:00:00.000Z'

/**
 * `GET /api/whoami-v2`, in the key order of the 2026-07 transcript
 * (third-party/whoami-v2.GET.200__transcript-2026-07-23.json). No email: that answer had none.
 */
export function whoamiJson(account: Account): Record<string, unknown> {
  const role = account.role ?? 'write'
  const canPay = account.canPay ?? false
  const accessToken: Record<string, unknown> = {
    displayName: `${account.name}-emulator`,
    role,
    createdAt: TOKEN_CREATED_AT
  }
  if (role === 'fineGrained') {
    const scope = account.fineGrained ?? defaultFineGrained(account)
    accessToken.fineGrained = {
      canReadGatedRepos: true,
      global: [...(scope.global ?? [])],
      scoped: scope.scoped.map(({ entity, permissions }) => ({
        entity: {
          _id: entity._id ?? objectId(`${entity.type}:${entity.name}`),
          type: entity.type,
          name: entity.name
        },
        permissions: [...permissions]
      }))
    }
  }
  return {
    type: 'user',
    id: objectId(`user:${account.name}`),
    name: account.name,
    fullname: account.name,
    canPay,
    billingMode: 'prepaid',
    periodEnd: null,
    isPro: account.isPro ?? false,
    avatarUrl: avatarUrl(account.name),
    orgs: (account.orgs ?? []).map(org => ({
      type: 'org',
      id: objectId(`org:${org.name}`),
      name: org.name,
      fullname: org.name,
      email: null,
      // Billing is modelled per account: an org pays when the calling member can.
      canPay,
      billingMode: 'prepaid',
      avatarUrl: avatarUrl(org.name),
      periodEnd: null,
      ...(org.plan === undefined ? {} : { plan: org.plan }),
      roleInOrg: org.roleInOrg
    })),
    auth: { type: 'access_token', accessToken }
  }
}

/**
 * `GET /api/whoami-v2` with a token minted by the OIDC exchange. No public sample exists: the emulator answers as
 * the Space's namespace (a user, with the owner account's billing flags when it knows the account), no orgs, and
 * `auth: {type: "oauth", expiresAt, resource: {sub: "spaces/<id>"}}` (contract §10.6 lists `expiresAt` and
 * `resource.sub` in `auth`).
 */
export function mintedWhoamiJson(grant: MintedGrant): Record<string, unknown> {
  const name = grant.namespace
  return {
    type: 'user',
    id: objectId(`user:${name}`),
    name,
    fullname: name,
    canPay: grant.owner?.canPay ?? false,
    billingMode: 'prepaid',
    periodEnd: null,
    isPro: grant.owner?.isPro ?? false,
    avatarUrl: avatarUrl(name),
    orgs: [],
    auth: {
      type: 'oauth',
      expiresAt: iso(grant.expiresAt),
      resource: { sub: `spaces/${grant.spaceId}` }
    }
  }
}
