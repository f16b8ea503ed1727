/** Fine-grained tokens: what whoami-v2 reports, and writes limited to the token's scope. */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DEFAULT_ACCOUNTS,
  FakeClock,
  startEmulator,
  type Account,
  type Emulator,
  type FineGrainedEntry
} from '../src/index.js'
import { call, obj, TOKENS } from './helpers.js'

let hub: Emulator

afterEach(async () => {
  await hub.close()
})

async function start(accounts: Account[] = DEFAULT_ACCOUNTS) {
  hub = await startEmulator({ clock: new FakeClock(), accounts })
  hub.addSpace({ id: 'acme/eval-app' })
  hub.addSpace({ id: 'acme/other' })
  hub.addSpace({ id: 'acme-org/team-app', private: true })
}

function fine(scoped: FineGrainedEntry[], global?: string[]): Account {
  return {
    name: 'acme',
    token: 'hf_emulator_acme_fine_0123456789',
    role: 'fineGrained',
    isPro: true,
    canPay: true,
    orgs: [{ name: 'acme-org', roleInOrg: 'admin', plan: 'team' }],
    fineGrained: global === undefined ? { scoped } : { scoped, global }
  }
}

const pause = (id: string, token: string) => call(hub.url, 'POST', `/api/spaces/${id}/pause`, { token })

describe('the default finegrained account', () => {
  it('reports its scope in whoami-v2', async () => {
    await start()
    const answer = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: TOKENS.finegrained }))
    const info = obj(await call(hub.url, 'GET', '/api/spaces/acme/eval-app'))
    expect(answer.name).toBe('finegrained')
    expect(answer.auth).toEqual({
      type: 'access_token',
      accessToken: {
        displayName: 'finegrained-emulator',
        role: 'fineGrained',
        createdAt: '2026-01-01T00:00:00.000Z',
        fineGrained: {
          canReadGatedRepos: true,
          global: [],
          scoped: [
            {
              entity: { _id: info._id, type: 'space', name: 'acme/eval-app' },
              permissions: ['repo.content.read']
            }
          ]
        }
      }
    })
  })

  it('may read acme/eval-app but not write to it', async () => {
    await start()
    expect(
      (await call(hub.url, 'GET', '/api/spaces/acme/eval-app/runtime', { token: TOKENS.finegrained })).status
    ).toBe(200)
    for (const [method, what, body] of [
      ['POST', 'pause', undefined],
      ['POST', 'hardware', { flavor: 'cpu-upgrade' }],
      ['POST', 'variables', { key: 'K', value: 'v' }],
      ['DELETE', 'secrets', { key: 'K' }]
    ] as const) {
      const result = await call(hub.url, method, `/api/spaces/acme/eval-app/${what}`, {
        token: TOKENS.finegrained,
        body
      })
      expect([what, result.status]).toEqual([what, 403])
      expect(obj(result).error).toMatch(
        /^This authentication method does not have sufficient permissions to call this route.*repo\.write on spaces\/acme\/eval-app/
      )
      expect(result.headers.get('x-error-message')).toBe(obj(result).error)
    }
    expect(hub.space('acme/eval-app')?.runtime.stage).toBe('RUNNING')
  })
})

describe('scope enforcement', () => {
  it('writes only to the Spaces its scope grants repo.write on', async () => {
    const token = fine([
      { entity: { type: 'space', name: 'acme/eval-app' }, permissions: ['repo.content.read', 'repo.write'] }
    ])
    await start([token])
    expect((await pause('acme/eval-app', token.token)).status).toBe(200)
    const other = await pause('acme/other', token.token)
    expect(other.status).toBe(403)
    expect(obj(other).error).toMatch(/repo\.write on spaces\/acme\/other/)
  })

  it('covers every Space of a user or org entity', async () => {
    const token = fine([
      { entity: { type: 'user', name: 'acme' }, permissions: ['repo.write'] },
      { entity: { type: 'org', name: 'acme-org' }, permissions: ['repo.content.read'] }
    ])
    await start([token])
    expect((await pause('acme/eval-app', token.token)).status).toBe(200)
    expect((await pause('acme/other', token.token)).status).toBe(200)
    expect((await pause('acme-org/team-app', token.token)).status).toBe(403)
    // Reading the org's private Space is still allowed: it is a member.
    expect((await call(hub.url, 'GET', '/api/spaces/acme-org/team-app', { token: token.token })).status).toBe(
      200
    )
  })

  it('needs repo.write on the namespace to create and on the Space to delete', async () => {
    const spaceOnly = fine([
      { entity: { type: 'space', name: 'acme/eval-app' }, permissions: ['repo.write'] }
    ])
    await start([spaceOnly])
    const create = (organization: string) =>
      call(hub.url, 'POST', '/api/repos/create', {
        token: spaceOnly.token,
        body: { name: 'new', organization, type: 'space', sdk: 'static' }
      })
    expect((await create('acme')).status).toBe(403)
    const remove = (name: string) =>
      call(hub.url, 'DELETE', '/api/repos/delete', {
        token: spaceOnly.token,
        body: { name, organization: 'acme', type: 'space' }
      })
    expect((await remove('other')).status).toBe(403)
    expect((await remove('eval-app')).status).toBe(200)

    await hub.close()
    const orgWriter = fine([{ entity: { type: 'org', name: 'acme-org' }, permissions: ['repo.write'] }])
    await start([orgWriter])
    const inOrg = await call(hub.url, 'POST', '/api/repos/create', {
      token: orgWriter.token,
      body: { name: 'new', organization: 'acme-org', type: 'space', sdk: 'gradio' }
    })
    expect(inOrg.status).toBe(200)
  })

  it('never widens what the account may do', async () => {
    const token = fine([{ entity: { type: 'user', name: 'outsider' }, permissions: ['repo.write'] }])
    await start([token])
    hub.addSpace({ id: 'outsider/app' })
    const result = await pause('outsider/app', token.token)
    expect(result.status).toBe(403)
    expect(obj(result).error).toMatch(/^You don't have the rights to modify this Space/)
  })

  it('keeps the own-user scope for a fine-grained token without an explicit one', async () => {
    const legacy: Account = { name: 'acme', token: 'hf_emulator_acme_fine_0123456789', role: 'fineGrained' }
    await start([legacy])
    expect((await pause('acme/eval-app', legacy.token)).status).toBe(200)
    const whoami = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: legacy.token }))
    expect(whoami.auth).toMatchObject({
      accessToken: {
        fineGrained: {
          global: ['discussion.write', 'post.write'],
          scoped: [
            { entity: { type: 'user', name: 'acme' }, permissions: expect.arrayContaining(['repo.write']) }
          ]
        }
      }
    })
  })
})

describe('whoami-v2 org entries', () => {
  it('report the plan when the org has one', async () => {
    await start()
    const answer = obj(await call(hub.url, 'GET', '/api/whoami-v2', { token: TOKENS.acme }))
    const [org] = answer.orgs as Record<string, unknown>[]
    expect(Object.keys(org!)).toEqual([
      'type',
      'id',
      'name',
      'fullname',
      'email',
      'canPay',
      'billingMode',
      'avatarUrl',
      'periodEnd',
      'plan',
      'roleInOrg'
    ])
    expect(org!.plan).toBe('team')
  })
})
