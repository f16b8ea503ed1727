import { describe, expect, it } from '@jest/globals'
import { tearDown } from '../../src/steps/post-step.js'
import type { SpacesApi } from '../../src/hub/spaces.js'
import type { Runtime } from '../../src/hub/types.js'
import { teardownState, loadTeardown, saveTeardown, type TeardownState } from '../../src/teardown/state.js'
import { runtime } from '../support/runtimes.js'

/** Records the writes; answers the runtime read with `now`. */
function fakeSpaces(now: Runtime) {
  const writes: string[] = []
  const answer = () => Promise.resolve(now)
  const spaces = {
    runtime: answer,
    pause: (id: string) => (writes.push(`pause ${id}`), answer()),
    requestHardware: (_id: string, flavor: string, sleep?: number) => (
      writes.push(`hardware ${flavor} ${sleep ?? '-'}`),
      answer()
    ),
    setSleepTime: (_id: string, seconds: number) => (writes.push(`sleeptime ${seconds}`), answer())
  }
  return { spaces: spaces as unknown as SpacesApi, writes }
}

function state(mode: TeardownState['mode'], before: Runtime): TeardownState {
  return teardownState('acme/eval-app', 'https://huggingface.co', mode, before)
}

const upgraded = runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 1800 })

describe('tearDown', () => {
  it('restores the previous flavor; cpu-basic gets no sleep time', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    expect(await tearDown(spaces, state('restore', runtime('RUNNING', 'cpu-basic')))).toContain(
      't4-small → cpu-basic'
    )
    expect(writes).toEqual(['hardware cpu-basic -'])
  })

  it('restores a paid flavor with its sleep time in the same call, never-sleeping as -1', async () => {
    const { spaces, writes } = fakeSpaces(runtime('RUNNING', 'a10g-large', 'a10g-large', { sleepTime: 600 }))
    await tearDown(spaces, state('restore', runtime('RUNNING', 't4-small', 't4-small', { sleepTime: null })))
    expect(writes).toEqual(['hardware t4-small -1'])
  })

  it('restores only the sleep time when the flavor is unchanged', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    await tearDown(spaces, state('restore', runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 3600 })))
    expect(writes).toEqual(['sleeptime 3600'])
  })

  it('pauses again a Space that was paused before the job', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    await tearDown(spaces, state('restore', runtime('PAUSED', null, 'cpu-basic')))
    expect(writes).toEqual(['hardware cpu-basic -', 'pause acme/eval-app'])
  })

  it('is idempotent: nothing to do is said, not done', async () => {
    const same = fakeSpaces(upgraded)
    expect(await tearDown(same.spaces, state('restore', upgraded))).toContain('already as it was')
    const paused = fakeSpaces(runtime('PAUSED', null, 't4-small'))
    expect(await tearDown(paused.spaces, state('pause', upgraded))).toContain('already paused')
    const basic = fakeSpaces(runtime('RUNNING', 'cpu-basic'))
    expect(await tearDown(basic.spaces, state('downgrade', upgraded))).toContain('already on cpu-basic')
    expect([...same.writes, ...paused.writes, ...basic.writes]).toEqual([])
  })

  it('pauses and downgrades', async () => {
    const pause = fakeSpaces(upgraded)
    await tearDown(pause.spaces, state('pause', upgraded))
    const down = fakeSpaces(upgraded)
    await tearDown(down.spaces, state('downgrade', upgraded))
    expect([...pause.writes, ...down.writes]).toEqual(['pause acme/eval-app', 'hardware cpu-basic -'])
  })

  it('leaves a static Space alone', async () => {
    const { spaces, writes } = fakeSpaces(runtime('RUNNING', null, null, { sleepTime: undefined }))
    await tearDown(spaces, state('restore', runtime('RUNNING', null, null, { sleepTime: undefined })))
    await tearDown(spaces, state('downgrade', runtime('RUNNING', null, null)))
    expect(writes).toEqual([])
  })
})

describe('teardown state', () => {
  it('round-trips through the state store without a token in it', () => {
    const store = new Map<string, string>()
    const saved = state('restore', runtime('RUNNING', 'cpu-basic', 'cpu-basic', { sleepTime: null }))
    saveTeardown({ save: (k, v) => store.set(k, v), get: k => store.get(k) ?? '' }, saved)
    expect([...store.values()].join()).not.toMatch(/hf_/)
    expect(loadTeardown({ save: () => undefined, get: k => store.get(k) ?? '' })).toEqual(saved)
    expect(saved.before).toEqual({ stage: 'RUNNING', hardware: 'cpu-basic', sleepTime: null })
  })

  it('is absent when main saved nothing, or something unreadable', () => {
    expect(loadTeardown({ save: () => undefined, get: () => '' })).toBeUndefined()
    expect(loadTeardown({ save: () => undefined, get: () => '{"mode":"explode"}' })).toBeUndefined()
  })
})
