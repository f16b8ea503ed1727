import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('secrets and variables, in process', () => {
  const t = useInProcessHub([
    {
      id: SPACE,
      secrets: [{ key: 'OLD_KEY', value: 'old' }],
      variables: [
        { key: 'MODE', value: 'prod' },
        { key: 'STALE', value: '1' }
      ]
    }
  ])

  it('sets secrets, waits once for the restart, and never reports a value', async () => {
    const run = await t.run({
      'space-id': SPACE,
      operation: 'set-secrets',
      secrets: 'API_KEY=s3cr3t-value\nOTHER=x'
    })
    expect(run.writes.map(w => w.replace(/ \{.*/, ''))).toEqual([
      `POST /api/spaces/${SPACE}/secrets`,
      `POST /api/spaces/${SPACE}/secrets`
    ])
    expect(t.hub.secretValue(SPACE, 'API_KEY')).toBe('s3cr3t-value')
    expect(run.result.summary).toBe('Secrets: set API_KEY, OTHER.')
    expect(run.result.after?.stage).toBe('RUNNING')
  })

  it('with prune, deletes the secrets not given', async () => {
    const run = await t.run({
      'space-id': SPACE,
      operation: 'set-secrets',
      secrets: 'API_KEY=v',
      prune: 'true'
    })
    expect(run.writes).toContain(`DELETE /api/spaces/${SPACE}/secrets {"key":"OLD_KEY"}`)
    expect(t.hub.space(SPACE)?.secrets.OLD_KEY).toBeUndefined()
  })

  it('deletes secrets by key', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'delete-secrets', keys: 'OLD_KEY' })
    expect(run.writes).toEqual([`DELETE /api/spaces/${SPACE}/secrets {"key":"OLD_KEY"}`])
  })

  it('sends only the variables that change, and prunes the others when asked', async () => {
    const run = await t.run({
      'space-id': SPACE,
      operation: 'set-variables',
      variables: 'MODE=prod\nNEW=1',
      prune: 'true'
    })
    expect(run.writes).toEqual([
      `POST /api/spaces/${SPACE}/variables {"key":"NEW","value":"1"}`,
      `DELETE /api/spaces/${SPACE}/variables {"key":"STALE"}`
    ])
    expect(run.result.summary).toContain('1 already as asked')
  })

  it('deletes only the variables that are there', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'delete-variables', keys: 'STALE\nNOPE' })
    expect(run.writes).toEqual([`DELETE /api/spaces/${SPACE}/variables {"key":"STALE"}`])
    expect(run.result.summary).toContain('1 not there')
  })
})
