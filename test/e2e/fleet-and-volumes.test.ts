/**
 * Persistent data through volumes, and one step over many Spaces (issue 11), run as the built action against the
 * emulated Hub.
 */
import { describe, expect, it } from '@jest/globals'
import { errors, runJob, runStep, SPACE, useHub } from './fixture.js'

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

const FLEET = Array.from({ length: 30 }, (_, i) => `acme/fleet-${String(i + 1).padStart(2, '0')}`)
/** A static Space cannot be paused (400): the one failure among the thirty. */
const STATIC = 'acme/fleet-13'

describe('many Spaces in one step', () => {
  const t = useHub([
    ...FLEET.map(id => ({ id, timings, ...(id === STATIC ? { sdk: 'static' as const } : {}) })),
    // Another owner's Space: owner/* must not reach it.
    { id: 'other/fleet-99', timings }
  ])

  it('pauses every Space of acme/* with at most 4 requests in flight, and fails naming the one that failed', async () => {
    // Each pause answers late, so the workers overlap and the emulator sees how many are open at once.
    t.hub.fault({
      path: /^\/api\/spaces\/acme\/fleet-\d+\/pause$/,
      kind: 'delay',
      delayMs: 40,
      times: Infinity
    })
    const result = await runStep('main', t.step({ 'space-id': 'acme/*', operation: 'pause' }))

    expect(result.exitCode).not.toBe(0)
    for (const id of FLEET.filter(id => id !== STATIC)) expect(t.hub.space(id)?.runtime.stage).toBe('PAUSED')
    expect(t.hub.space('other/fleet-99')?.runtime.stage).toBe('RUNNING')
    expect(errors(result).at(-1)).toMatch(/^1 of 30 Spaces failed:\n- acme\/fleet-13: .*static/)
    expect(t.hub.peakInFlight()).toBeLessThanOrEqual(4)
    expect(t.hub.peakInFlight()).toBeGreaterThan(1)
    // The listing was followed over its two pages (20 a page in the emulator).
    expect(
      t.hub
        .requests()
        .filter(r => r.path === '/api/spaces')
        .map(r => r.query.author)
    ).toEqual(['acme', 'acme'])

    const spaces = JSON.parse(result.outputs.spaces ?? '') as Record<string, Record<string, unknown>>
    expect(Object.keys(spaces)).toEqual(FLEET)
    expect(spaces['acme/fleet-01']).toEqual({
      stage: 'PAUSED',
      hardware: null,
      requestedHardware: 'cpu-basic',
      sleepTime: '172800',
      spaceUrl: `${t.hub.url}/spaces/acme/fleet-01`,
      appUrl: 'https://acme-fleet-01.hf.space',
      error: null
    })
    expect(spaces[STATIC]?.error).toMatch(/static/)
    expect(result.outputs.stage).toBeUndefined()
    expect(result.summary.match(/<tr><td>/g)).toHaveLength(30)
  })

  it('refuses a pattern or several Spaces for delete, create and upload before any request', async () => {
    for (const inputs of [
      { 'space-id': 'acme/*', operation: 'delete' },
      { 'space-id': 'acme/fleet-01\nacme/fleet-02', operation: 'create', sdk: 'gradio' },
      { 'space-id': 'acme/fleet-*', operation: 'upload' }
    ]) {
      const result = await runStep('main', t.step(inputs))
      expect(result.exitCode).not.toBe(0)
      expect(errors(result).join('\n')).toContain('takes one Space')
    }
    expect(t.hub.requests()).toEqual([])
  })

  it('lists what a dry run would do to each Space, and writes nothing', async () => {
    const result = await runStep(
      'main',
      t.step({ 'space-id': 'acme/fleet-0?\nother/fleet-99', operation: 'restart', 'dry-run': 'true' })
    )
    expect(result.exitCode).toBe(0)
    expect(t.writes()).toEqual([])
    expect(Object.keys(JSON.parse(result.outputs.spaces ?? '') as object)).toEqual([
      'other/fleet-99',
      ...FLEET.slice(0, 9)
    ])
    expect(result.stdout).toContain('acme/fleet-03:   POST /api/spaces/acme/fleet-03/restart')
    expect(result.summary).toContain('acme/fleet-03: 1 write(s) would be sent')
  })
})

describe('teardown of many Spaces', () => {
  const ids = ['acme/tr-1', 'acme/tr-2', 'acme/tr-3']
  const t = useHub(ids.map((id, i) => ({ id, timings, hardware: 't4-small', sleepTime: 600 * (i + 1) })))

  it('teardown: restore puts each Space back to its own sleep time', async () => {
    const { main, post } = await runJob(
      t.step({
        'space-id': 'acme/tr-1\nacme/tr-*',
        operation: 'set-sleep-time',
        'sleep-time': '2h',
        teardown: 'restore'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(JSON.parse(main.state['teardown-fleet'] ?? '[]')).toHaveLength(3)
    expect(post.exitCode).toBe(0)
    expect(ids.map(id => t.hub.space(id)?.runtime.gcTimeout)).toEqual([600, 1200, 1800])
    const sleeps = t.hub
      .requests()
      .filter(r => r.path.endsWith('/sleeptime'))
      .map(r => `${r.path} ${r.body}`)
    expect(sleeps).toEqual(
      expect.arrayContaining([
        ...ids.map(id => `/api/spaces/${id}/sleeptime {"seconds":7200}`),
        `/api/spaces/acme/tr-1/sleeptime {"seconds":600}`,
        `/api/spaces/acme/tr-2/sleeptime {"seconds":1200}`,
        `/api/spaces/acme/tr-3/sleeptime {"seconds":1800}`
      ])
    )
    expect(sleeps).toHaveLength(6)
  })
})
