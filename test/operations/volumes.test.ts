import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('set-volumes and delete-volumes, in process', () => {
  const t = useInProcessHub([
    { id: SPACE },
    {
      id: 'acme/with-private',
      volumes: [{ type: 'dataset', source: 'someone/private-ds', mountPath: '/secret', readOnly: true }],
      hiddenSources: ['someone/private-ds']
    },
    {
      id: 'acme/two-volumes',
      volumes: [
        { type: 'bucket', source: 'acme/old', mountPath: '/old', readOnly: false },
        { type: 'model', source: 'acme/weights', mountPath: '/weights', readOnly: true }
      ]
    }
  ])

  it('mounts what is asked in one PUT, waits for the restart, and sends nothing when run again', async () => {
    const inputs = {
      'space-id': SPACE,
      operation: 'set-volumes',
      volumes: 'hf://buckets/acme/data/sub:/data\nhf://datasets/acme/corpus:/corpus:ro'
    }
    const first = await t.run(inputs)
    expect(first.writes.map(w => w.replace(/ \{.*/, ''))).toEqual([`PUT /api/spaces/${SPACE}/volumes`])
    expect(first.result.changed).toBe(true)
    expect(first.result.summary).toMatch(/^Volumes: mounted .*\/data.*\/corpus/)
    expect(first.result.volumes?.map(v => v.mountPath)).toEqual(['/data', '/corpus'])
    expect(first.result.after?.stage).toBe('RUNNING')

    const again = await t.run(inputs)
    expect(again.writes).toEqual([])
    expect(again.result).toMatchObject({ changed: false, summary: 'Volumes: already as asked.' })
  })

  it('merges by mount path, and with prune keeps exactly the given volumes', async () => {
    const merged = await t.run({
      'space-id': 'acme/two-volumes',
      operation: 'set-volumes',
      volumes: 'hf://buckets/acme/new:/old'
    })
    expect(merged.result.volumes?.map(v => `${v.source}:${v.mountPath}`)).toEqual([
      'acme/new:/old',
      'acme/weights:/weights'
    ])
    const pruned = await t.run({
      'space-id': 'acme/two-volumes',
      operation: 'set-volumes',
      volumes: 'hf://models/acme/weights:/weights',
      prune: 'true'
    })
    expect(pruned.result.summary).toContain('Removed /old.')
    expect(t.hub.space('acme/two-volumes')?.volumes.map(v => v.mountPath)).toEqual(['/weights'])
  })

  it('refuses to write back a source the Hub shows masked, before any write', async () => {
    await expect(
      t.run({
        'space-id': 'acme/with-private',
        operation: 'set-volumes',
        volumes: 'hf://buckets/acme/data:/data'
      })
    ).rejects.toMatchObject({ code: 'forbidden', advice: expect.stringContaining('prune: true') })
    expect(t.hub.requests().filter(r => r.method !== 'GET')).toEqual([])
  })

  it('delete-volumes removes them all, then has nothing to do', async () => {
    const removed = await t.run({ 'space-id': 'acme/two-volumes', operation: 'delete-volumes' })
    expect(removed.writes.map(w => w.split(' ').slice(0, 2).join(' '))).toEqual([
      'DELETE /api/spaces/acme/two-volumes/volumes'
    ])
    expect(removed.result).toMatchObject({
      changed: true,
      volumes: [],
      summary: 'Volumes: removed /old, /weights.'
    })
    const again = await t.run({ 'space-id': 'acme/two-volumes', operation: 'delete-volumes' })
    expect(again.writes).toEqual([])
    expect(again.result.summary).toBe('Volumes: none mounted.')
  })
})
