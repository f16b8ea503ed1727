import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('create, duplicate and delete, in process', () => {
  const t = useInProcessHub([
    { id: SPACE, hardware: 't4-small', variables: [{ key: 'MODE', value: 'prod' }] }
  ])

  it('creates a Space with its settings in one call and waits until it has no app file or runs', async () => {
    const run = await t.run({
      'space-id': 'acme/new-app',
      operation: 'create',
      sdk: 'gradio',
      private: 'true',
      variables: 'MODE=eval'
    })
    expect(run.writes).toHaveLength(1)
    expect(run.writes[0]).toMatch(/^POST \/api\/repos\/create /)
    expect(JSON.parse(run.writes[0]?.replace(/^POST \S+ /, '') ?? '{}')).toMatchObject({
      type: 'space',
      name: 'new-app',
      organization: 'acme',
      sdk: 'gradio',
      private: true,
      variables: [{ key: 'MODE', value: 'eval' }]
    })
    expect(run.result).toMatchObject({ created: true, changed: true })
    expect(t.hub.space('acme/new-app')?.variables.MODE?.value).toBe('eval')
  })

  it('applies the settings to an existing Space once, and a re-run writes nothing', async () => {
    const first = await t.run({
      'space-id': SPACE,
      operation: 'create',
      sdk: 'gradio',
      variables: 'MODE=eval'
    })
    expect(first.result).toMatchObject({ created: false, changed: true })
    expect(first.writes).toEqual([`POST /api/spaces/${SPACE}/variables {"key":"MODE","value":"eval"}`])
    const again = await t.run({
      'space-id': SPACE,
      operation: 'create',
      sdk: 'gradio',
      variables: 'MODE=eval'
    })
    expect(again.writes).toEqual([])
    expect(again.result).toMatchObject({ created: false, changed: false })
  })

  it('refuses an existing Space with exist-ok: false', async () => {
    await expect(
      t.run({ 'space-id': SPACE, operation: 'create', sdk: 'gradio', 'exist-ok': 'false' })
    ).rejects.toMatchObject({ message: `${SPACE} already exists.` })
  })

  it('warns when the existing Space has another SDK, and never changes it', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'create', sdk: 'docker' })
    expect(run.warnings.join('\n')).toContain('`sdk: docker` was not applied')
  })

  it('duplicates a Space', async () => {
    const run = await t.run({ 'space-id': 'acme/copy', operation: 'duplicate', 'from-space': SPACE })
    expect(run.writes[0]).toMatch(new RegExp(`^POST /api/spaces/${SPACE}/duplicate `))
    expect(run.result.created).toBe(true)
    expect(t.hub.space('acme/copy')).toBeDefined()
  })

  it('names the missing source of a duplicate', async () => {
    await expect(
      t.run({ 'space-id': 'acme/copy', operation: 'duplicate', 'from-space': 'acme/none' })
    ).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('acme/none') })
  })

  it('deletes a Space, and a missing one is done already', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'delete' })
    expect(run.writes).toEqual([
      `DELETE /api/repos/delete {"name":"eval-app","organization":"acme","type":"space"}`
    ])
    expect(t.hub.space(SPACE)).toBeUndefined()
    const again = await t.run({ 'space-id': SPACE, operation: 'delete' })
    expect(again.writes).toEqual([])
    expect(again.result.summary).toContain('already gone')
  })
})
