/** Bring a Space into being with what it needs, change its configuration safely, and throw it away again. */
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNTS } from '../../packages/hub-emulator/src/index.js'
import { errors, expectSecretKept, OWNER_TOKEN, runStep, SPACE, useHub } from './fixture.js'

const BROKE_TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'broke')?.token ?? ''
const PREVIEW = 'acme/eval-app-pr-42'
const API_KEY = 'sk-live-0123456789abcdef'
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  '-----END PRIVATE KEY-----'
].join('\n')
const timings = { staleMs: 100, buildMs: 300, startMs: 100 }

describe('a per-pull-request preview Space', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('is created with secrets and variables, reported, and deleted by teardown: delete', async () => {
    const step = t.step(
      {
        'space-id': PREVIEW,
        operation: 'create',
        sdk: 'gradio',
        private: 'true',
        secrets: 'API_KEY\nDB_URL="postgres://u:p@db:5432/x?ssl=true"',
        variables: 'MODEL=acme/model\nTHRESHOLD=0.5',
        teardown: 'delete'
      },
      { API_KEY }
    )
    const main = await runStep('main', step)
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({
      created: 'true',
      'space-url': `${t.hub.url}/spaces/${PREVIEW}`,
      'previous-hardware': ''
    })
    const create = t.hub.requests().find(r => r.path === '/api/repos/create')
    expect(JSON.parse(create?.body ?? '{}')).toMatchObject({
      name: 'eval-app-pr-42',
      organization: 'acme',
      type: 'space',
      sdk: 'gradio',
      private: true,
      variables: [
        { key: 'MODEL', value: 'acme/model' },
        { key: 'THRESHOLD', value: '0.5' }
      ]
    })
    expect(t.hub.secretValue(PREVIEW, 'API_KEY')).toBe(API_KEY)
    expect(t.hub.secretValue(PREVIEW, 'DB_URL')).toBe('postgres://u:p@db:5432/x?ssl=true')
    const post = await runStep('post', { ...step, state: main.state })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(`Deleted ${PREVIEW}.`)
    expect(t.hub.space(PREVIEW)).toBeUndefined()
    for (const secret of [API_KEY, 'postgres://u:p@db:5432/x?ssl=true', OWNER_TOKEN]) {
      expectSecretKept(main, secret)
      expectSecretKept(post, secret)
    }
  })

  it('re-running the same create step changes nothing but what changed', async () => {
    const inputs = {
      'space-id': PREVIEW,
      operation: 'create',
      sdk: 'gradio',
      secrets: 'API_KEY',
      variables: 'MODEL=acme/model'
    }
    await runStep('main', t.step(inputs, { API_KEY }))
    const restarts = t.hub.space(PREVIEW)?.restarts ?? 0
    t.hub.clearRequests()
    const again = await runStep('main', t.step(inputs, { API_KEY }))
    expect(again.exitCode).toBe(0)
    expect(again.outputs.created).toBe('false')
    expect(again.stdout).toContain('already exists: applying the requested settings')
    expect(again.stdout).toContain('1 already set, not sent again')
    expect(t.writes()).toEqual([])
    expect(t.hub.space(PREVIEW)?.restarts).toBe(restarts)

    const changed = await runStep(
      'main',
      t.step({ ...inputs, variables: 'MODEL=acme/model-v2' }, { API_KEY })
    )
    expect(changed.exitCode).toBe(0)
    expect(t.writes()).toEqual([
      `POST /api/spaces/${PREVIEW}/variables {"key":"MODEL","value":"acme/model-v2"}`
    ])
  })

  it('fails on an existing Space when exist-ok is false', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'create', sdk: 'gradio', 'exist-ok': 'false' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('acme/eval-app already exists.')
    expect(t.writes()).toEqual([])
  })

  it('explains the 402 a free account gets for a Gradio Space', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': 'broke/demo', operation: 'create', sdk: 'gradio' }, { HF_TOKEN: BROKE_TOKEN })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 402')
    expect(errors(main)[0]).toContain('Static Spaces (sdk: static) are free')
  })

  it('explains a 403 for a namespace the token cannot write', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': 'someone-else/demo', operation: 'create', sdk: 'static' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 403')
    expect(errors(main)[0]).toContain('acme is not a member of someone-else')
  })

  it('treats deleting a Space that is already gone as done, with a warning', async () => {
    const main = await runStep('main', t.step({ 'space-id': 'acme/never-existed', operation: 'delete' }))
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('::warning::acme/never-existed does not exist')
  })
})

describe('duplicate', () => {
  const t = useHub([{ id: 'acme/template', timings, variables: [{ key: 'MODE', value: 'demo' }] }])

  it('copies a template with hardware and a PEM secret, intact', async () => {
    const main = await runStep(
      'main',
      t.step(
        {
          'space-id': 'acme/eval-run-7',
          operation: 'duplicate',
          'from-space': 'acme/template',
          hardware: 't4-small',
          secrets: 'SIGNING_KEY'
        },
        { SIGNING_KEY: PEM }
      )
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ created: 'true', hardware: 't4-small' })
    expect(t.hub.secretValue('acme/eval-run-7', 'SIGNING_KEY')).toBe(PEM)
    const duplicate = t.hub.requests().find(r => r.path.endsWith('/duplicate'))
    expect(duplicate?.path).toBe('/api/spaces/acme/template/duplicate')
    expect(JSON.parse(duplicate?.body ?? '{}')).toMatchObject({
      repository: 'acme/eval-run-7',
      hardware: 't4-small'
    })
    for (const line of PEM.split('\n').filter(l => l.length > 30)) expectSecretKept(main, line)
  })

  it('says which Space is missing when the source does not exist', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': 'acme/copy', operation: 'duplicate', 'from-space': 'acme/missing' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('The Space to copy, acme/missing, does not exist')
  })
})

describe('secrets and variables', () => {
  const t = useHub([
    {
      id: SPACE,
      timings,
      variables: [
        { key: 'KEEP', value: '1' },
        { key: 'OLD', value: 'x' }
      ]
    }
  ])

  it('sends only changed variables, prunes the rest, and waits for the restart', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'set-variables', variables: 'KEEP=1\nNEW=2', prune: 'true' })
    )
    expect(main.exitCode).toBe(0)
    expect(t.writes()).toEqual([
      `POST /api/spaces/${SPACE}/variables {"key":"NEW","value":"2"}`,
      `DELETE /api/spaces/${SPACE}/variables {"key":"OLD"}`
    ])
    expect(main.stdout).toContain('Variables: set NEW. deleted OLD. 1 already as asked.')
    expect(main.outputs.stage).toBe('RUNNING')
  })

  it('sets and deletes secrets by key, without their values in any log', async () => {
    const set = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'set-secrets', secrets: `TOKEN_A="${API_KEY}"` })
    )
    expect(set.exitCode).toBe(0)
    expect(t.hub.secretValue(SPACE, 'TOKEN_A')).toBe(API_KEY)
    expectSecretKept(set, API_KEY)
    const removed = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'delete-secrets', keys: 'TOKEN_A, NOT_THERE' })
    )
    expect(removed.exitCode).toBe(0)
    expect(t.hub.secretValue(SPACE, 'TOKEN_A')).toBeUndefined()
  })

  it('rejects a malformed line with its number and without its value, before any request', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'set-secrets', secrets: 'GOOD=1\nthis line leaks s3cr3t-value' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('Input `secrets`, line 2: expected KEY=value')
    // Masked before the error (the runner hides ::add-mask:: lines), and never quoted.
    expectSecretKept(main, 's3cr3t-value')
    expect(t.hub.requests()).toEqual([])
  })
})

describe('dry-run', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('reads, validates and prints the writes it would send, with secrets as ***, and sends none', async () => {
    const main = await runStep(
      'main',
      t.step(
        {
          'space-id': 'acme/new-app',
          operation: 'create',
          sdk: 'docker',
          hardware: 't4-small',
          secrets: 'API_KEY',
          'dry-run': 'true',
          teardown: 'delete'
        },
        { API_KEY }
      )
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('Dry run: 1 write(s) would be sent:')
    expect(main.stdout).toContain(
      'POST /api/repos/create {"name":"new-app","organization":"acme","type":"space","sdk":"docker","hardware":"t4-small"'
    )
    expect(main.stdout).toContain('"secrets":[{"key":"API_KEY","value":"***"}]')
    expect(main.summary).toContain('Dry run')
    expect(main.state).toEqual({})
    expect(t.writes()).toEqual([])
    expectSecretKept(main, API_KEY)
  })

  it('works for changes to an existing Space too', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 'a10g-small', 'dry-run': 'true' })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`POST /api/spaces/${SPACE}/hardware {"flavor":"a10g-small"}`)
    expect(t.writes()).toEqual([])
  })
})

describe('storage', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('sends the request and explains the Hub refusing it, pointing to volumes', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-storage', storage: 'small' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('The Hub refused the storage request')
    expect(errors(main)[0]).toContain('Storage Buckets mounted as volumes')
  })

  it('has nothing to delete when the Space has no storage', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'delete-storage' }))
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('The Space has no persistent storage.')
    expect(t.writes()).toEqual([])
  })
})

describe('delete with a bad token', () => {
  const t = useHub([{ id: SPACE }])

  it('fails with the 401, never "nothing to delete"', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'delete' }, { HF_TOKEN: 'hf_not_a_known_token_0123456789' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 401')
    expect(t.hub.space(SPACE)).toBeDefined()
  })
})
