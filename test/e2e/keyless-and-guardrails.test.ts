/** Keyless (OIDC) sign-in, refusals explained with whoami, and cost guardrails, run as the runner runs the action. */
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNTS } from '../../packages/hub-emulator/src/index.js'
import {
  errors,
  expectSecretKept,
  OWNER_TOKEN,
  READER_TOKEN,
  runJob,
  runStep,
  SPACE,
  useHub,
  type Fixture
} from './fixture.js'

const FINE_GRAINED_TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'finegrained')?.token ?? ''
const BROKE_TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'broke')?.token ?? ''

/** The runner's environment for a job with `permissions: id-token: write`, and no stored token. */
function keyless(t: Fixture): Record<string, string> {
  return {
    HF_TOKEN: '',
    ACTIONS_ID_TOKEN_REQUEST_URL: t.hub.oidcRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: t.hub.oidc.requestToken,
    GITHUB_REPOSITORY: 'acme/ci',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW_REF: 'acme/ci/.github/workflows/ci.yml@refs/heads/main'
  }
}

/** Every token the emulator minted, to prove none was printed. */
function mintedTokens(t: Fixture): string[] {
  return t.hub
    .requests()
    .filter(r => r.path === '/oauth/token' && r.status === 200)
    .map(r => (JSON.parse(r.responseBody ?? '{}') as { access_token?: string }).access_token ?? '')
    .filter(Boolean)
}

describe('keyless sign-in', () => {
  const t = useHub([
    {
      id: SPACE,
      trustedPublishers: [{ repository: 'acme/ci' }],
      timings: { staleMs: 100, buildMs: 300, startMs: 100 }
    },
    { id: 'acme/other-app', trustedPublishers: [{ repository: 'acme/elsewhere' }] }
  ])

  it('upgrades and tears down with no stored token, and never prints the minted token', async () => {
    const { main, post } = await runJob(
      t.step(
        { 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small', teardown: 'downgrade' },
        keyless(t)
      )
    )
    expect(main.exitCode).toBe(0)
    expect(post.exitCode).toBe(0)
    expect(main.outputs.hardware).toBe('t4-small')
    expect(t.hub.space(SPACE)?.runtime).toMatchObject({ hardware: { requested: 'cpu-basic' } })
    const exchanges = t.hub.requests().filter(r => r.path === '/oauth/token')
    expect(exchanges).toHaveLength(2)
    expect(JSON.parse(exchanges[0]?.body ?? '{}')).toMatchObject({ resource: `spaces/${SPACE}` })
    const minted = mintedTokens(t)
    expect(minted).toHaveLength(2)
    for (const token of minted) {
      expectSecretKept(main, token)
      expectSecretKept(post, token)
    }
  })

  it('explains a Space whose trusted publishers do not name this repository', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': 'acme/other-app', operation: 'pause' }, keyless(t))
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('The Hub refused the keyless sign-in for spaces/acme/other-app')
    expect(errors(main)[0]).toContain('repository acme/ci, workflow ci.yml, branch main')
    expect(t.writes().filter(w => !w.startsWith('POST /oauth/token'))).toEqual([])
  })

  it('says which of the two to add when the job has neither a token nor the OIDC permission', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'restart' }, { HF_TOKEN: '' }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HF_TOKEN: ${{ secrets.HF_TOKEN }}')
    expect(errors(main)[0]).toContain('id-token: write')
    expect(t.hub.requests()).toEqual([])
  })
})

describe('refusals explained', () => {
  const t = useHub()

  it("explains a fine-grained read-only token's 403 with the whoami facts, once", async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'pause' }, { HF_TOKEN: FINE_GRAINED_TOKEN })
    )
    expect(main.exitCode).toBe(1)
    const [error] = errors(main)
    expect(error).toContain('HTTP 403')
    expect(error).toContain('The Hub sees the token')
    expect(error).toContain('no "repo.write" permission on acme/eval-app')
    expect(t.hub.requests().filter(r => r.path === '/api/whoami-v2')).toHaveLength(1)
    expectSecretKept(main, FINE_GRAINED_TOKEN)
  })

  it('explains a read token', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'restart' }, { HF_TOKEN: READER_TOKEN })
    )
    expect(errors(main)[0]).toContain('It is read-only')
  })

  it('explains a missing payment method for paid hardware', async () => {
    t.hub.addSpace({ id: 'broke/app' })
    const main = await runStep(
      'main',
      t.step(
        { 'space-id': 'broke/app', operation: 'request-hardware', hardware: 't4-small' },
        { HF_TOKEN: BROKE_TOKEN }
      )
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('payment method')
    expect(errors(main)[0]).toContain('broke has no payment method')
  })

  it('never asks whoami on the happy path', async () => {
    await runStep('main', t.step({ 'space-id': SPACE, operation: 'pause' }))
    expect(t.hub.requests().some(r => r.path === '/api/whoami-v2')).toBe(false)
  })
})

describe('cost guardrails', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 100, buildMs: 300, startMs: 100 } }])

  it('refuses a flavor outside allowed-hardware with zero requests', async () => {
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 'a100-large',
        'allowed-hardware': 'zero-a10g, t4-*'
      })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('not in `allowed-hardware`')
    expect(t.hub.requests()).toEqual([])
  })

  it('refuses a flavor over max-hourly-cost with zero writes', async () => {
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 'a100-large',
        'max-hourly-cost': '1'
      })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('"a100-large" costs $2.50/hour, more than max-hourly-cost ($1.00/hour)')
    expect(t.writes()).toEqual([])
  })

  it('sets a safety sleep time on a paid upgrade with a teardown, shows the price and cost, and restores the sleep time', async () => {
    const { main, post } = await runJob(
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 't4-small',
        teardown: 'pause',
        'max-hourly-cost': '1'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('Setting a safety sleep time of 1h on t4-small')
    expect(main.summary).toContain('$0.40/hour')
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('Sleep time set back to 2d.')
    expect(post.summary).toMatch(/t4-small at \$0\.40\/hour for [\d.]+s during this job: at most \$0\.00\d/)
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/hardware {"flavor":"t4-small","sleepTimeSeconds":3600}`,
      `POST /api/spaces/${SPACE}/pause`,
      `POST /api/spaces/${SPACE}/sleeptime {"seconds":172800}`
    ])
    expectSecretKept(main, OWNER_TOKEN)
  })

  it('leaves the sleep time alone without a teardown, or when the user gave one', async () => {
    await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small', wait: 'false' })
    )
    await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'request-hardware',
        hardware: 'a10g-small',
        'sleep-time': '10m',
        teardown: 'pause',
        wait: 'false'
      })
    )
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/hardware {"flavor":"t4-small"}`,
      `POST /api/spaces/${SPACE}/hardware {"flavor":"a10g-small","sleepTimeSeconds":600}`
    ])
  })
})
