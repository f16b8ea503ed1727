/**
 * JSON bodies, built in the key order the Hub uses (REC: huggingface_hub's VCR cassettes, see
 * /work/shared/hub-samples). Key order matters: the conformance test compares bodies byte for byte.
 */
import { createHash } from 'node:crypto'
import type { Space } from './spaces.js'
import type { Account, SpaceView } from './types.js'

/** A stable 24-hex Mongo-style id derived from a name. */
export function objectId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, 24)
}

function iso(ms: number): string {
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
  if (!space.isStatic) {
    body.devMode = false
    body.domains = [{ domain: `${space.subdomain}.hf.space`, stage: 'READY' }]
  }
  return body
}

/** `GET /api/spaces/{id}`: the Space info, with the runtime embedded. */
export function spaceInfoJson(space: Space, now: number): Record<string, unknown> {
  const siblings = ['.gitattributes', 'README.md']
  if (space.isStatic) siblings.push('index.html', 'style.css')
  return {
    _id: objectId(`space:${space.id}`),
    id: space.id,
    author: space.namespace,
    sha: space.sha,
    lastModified: iso(space.lastModified),
    private: space.private,
    gated: false,
    disabled: false,
    host: `https://${space.subdomain}.hf.space`,
    subdomain: space.subdomain,
    likes: 0,
    sdk: space.sdk,
    tags: [],
    createdAt: iso(space.createdAt),
    siblings: siblings.map(rfilename => ({ rfilename })),
    runtime: runtimeJson(space, now)
  }
}

export function spaceView(space: Space, now: number): SpaceView {
  return {
    id: space.id,
    runtime: runtimeJson(space, now),
    info: spaceInfoJson(space, now),
    sdk: space.sdk,
    private: space.private
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
    accessToken.fineGrained = {
      canReadGatedRepos: true,
      global: ['discussion.write', 'post.write'],
      scoped: [
        {
          entity: { _id: objectId(`user:${account.name}`), type: 'user', name: account.name },
          permissions: ['repo.content.read', 'repo.access.read', 'repo.write']
        }
      ]
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
    avatarUrl: `/avatars/${objectId(`avatar:${account.name}`)}.svg`,
    orgs: (account.orgs ?? []).map(org => ({
      type: 'org',
      id: objectId(`org:${org.name}`),
      name: org.name,
      fullname: org.name,
      email: null,
      // Billing is modelled per account: an org pays when the calling member can.
      canPay,
      billingMode: 'prepaid',
      avatarUrl: `/avatars/${objectId(`avatar:${org.name}`)}.svg`,
      periodEnd: null,
      roleInOrg: org.roleInOrg
    })),
    auth: { type: 'access_token', accessToken }
  }
}
