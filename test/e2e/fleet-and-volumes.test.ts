/**
 * Persistent data through volumes, and one step over many Spaces (issue 11), run as the built action against the
 * emulated Hub.
 */
import { describe, expect, it } from '@jest/globals'
import { errors, runStep, SPACE, useHub } from './fixture.js'

const timings = { staleMs: 50, buildMs: 100, startMs: 50 }

describe('volumes', () => {
  const t = useHub([
    { id: SPACE, timings },
    {
      id: 'acme/with-private',
      timings,
      volumes: [{ type: 'dataset', source: 'someone/private-ds', mountPath: '/secret', readOnly: true }],
      hiddenSources: ['someone/private-ds']
    },
    {
      id: 'acme/two-volumes',
      timings,
      volumes: [
        { type: 'bucket', source: 'acme/old', mountPath: '/old', readOnly: false },
        { type: 'model', source: 'acme/weights', mountPath: '/weights', readOnly: true }
      ]
    }
  ])

  it('mounts a bucket from a line copied from the hf CLI, then sends nothing when run again', async () => {
    const step = t.step({
      'space-id': SPACE,
      operation: 'set-volumes',
      volumes: 'hf://buckets/acme/data/sub:/data\nhf://datasets/acme/corpus:/corpus:ro'
    })
    const first = await runStep('main', step)
    expect(first.exitCode).toBe(0)
    expect(t.hub.space(SPACE)?.volumes).toEqual([
      { type: 'bucket', source: 'acme/data', mountPath: '/data', readOnly: false, path: 'sub' },
      { type: 'dataset', source: 'acme/corpus', mountPath: '/corpus', readOnly: true }
    ])
    expect(t.writes()).toEqual([
      `PUT /api/spaces/${SPACE}/volumes {"volumes":[{"type":"bucket","source":"acme/data","mountPath":"/data","path":"sub"},` +
        '{"type":"dataset","source":"acme/corpus","mountPath":"/corpus","readOnly":true}]}'
    ])
    expect(first.outputs.volumes).toBe(
      'hf://buckets/acme/data/sub:/data\nhf://datasets/acme/corpus:/corpus:ro'
    )
    expect(first.outputs.stage).toBe('RUNNING')
    expect(first.summary).toContain('hf://buckets/acme/data/sub:/data')

    t.hub.clearRequests()
    const second = await runStep('main', step)
    expect(second.exitCode).toBe(0)
    expect(t.writes()).toEqual([])
    expect(second.stdout).toContain('Volumes: already as asked.')
  })

  it('refuses a malformed line before any request, naming the line', async () => {
    const result = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'set-volumes',
        volumes: 'hf://buckets/acme/data:/data\nhf://acme'
      })
    )
    expect(result.exitCode).not.toBe(0)
    expect(errors(result).join('\n')).toContain('line 2 "hf://acme"')
    expect(t.hub.requests()).toEqual([])
  })

  it('never writes back a source the Hub shows masked', async () => {
    const result = await runStep(
      'main',
      t.step({
        'space-id': 'acme/with-private',
        operation: 'set-volumes',
        volumes: 'hf://buckets/acme/data:/data'
      })
    )
    expect(result.exitCode).not.toBe(0)
    expect(errors(result).join('\n')).toMatch(/\/secret.*masked[\s\S]*prune: true/)
    expect(t.writes()).toEqual([])
    expect(t.hub.space('acme/with-private')?.volumes).toHaveLength(1)
  })

  it('with prune: true keeps exactly the given volumes; delete-volumes removes them and then has nothing to do', async () => {
    const pruned = await runStep(
      'main',
      t.step({
        'space-id': 'acme/two-volumes',
        operation: 'set-volumes',
        volumes: 'hf://models/acme/weights:/weights',
        prune: 'true'
      })
    )
    expect(pruned.exitCode).toBe(0)
    expect(t.hub.space('acme/two-volumes')?.volumes).toEqual([
      { type: 'model', source: 'acme/weights', mountPath: '/weights', readOnly: true }
    ])
    expect(pruned.stdout).toContain('Removed /old')

    const step = t.step({ 'space-id': 'acme/two-volumes', operation: 'delete-volumes' })
    expect((await runStep('main', step)).exitCode).toBe(0)
    expect(t.hub.space('acme/two-volumes')?.volumes).toEqual([])
    t.hub.clearRequests()
    const again = await runStep('main', step)
    expect(again.exitCode).toBe(0)
    expect(again.outputs.volumes).toBe('')
    expect(t.writes()).toEqual([])
  })

  it('sends the volumes in the create call itself', async () => {
    const result = await runStep(
      'main',
      t.step({
        'space-id': 'acme/new-one',
        operation: 'create',
        sdk: 'docker',
        volumes: 'hf://buckets/acme/data:/data'
      })
    )
    expect(result.exitCode).toBe(0)
    const create = t.hub.requests().find(r => r.path === '/api/repos/create')
    expect(JSON.parse(create?.body ?? '{}')).toMatchObject({
      volumes: [{ type: 'bucket', source: 'acme/data', mountPath: '/data' }]
    })
    expect(t.writes().filter(w => w.includes('/volumes'))).toEqual([])
  })
})
