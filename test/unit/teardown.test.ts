import { describe, expect, it } from '@jest/globals'
import { IN_FLIGHT_MS, tearDown } from '../../src/steps/post-step.js'
import type { SpacesApi } from '../../src/hub/spaces.js'
import type { Runtime } from '../../src/hub/types.js'
import {
  loadTeardown,
  parseTeardown,
  saveTeardown,
  teardownState,
  TeardownJournal,
  type TeardownState
} from '../../src/teardown/state.js'
import { ActionError } from '../../src/errors.js'
import { runtime } from '../support/runtimes.js'

/** Records the writes; answers each runtime read with the next of `reads` (the last one repeats). */
function fakeSpaces(...reads: Runtime[]) {
  const writes: string[] = []
  let next = 0
  const answer = () => Promise.resolve(reads[Math.min(next++, reads.length - 1)] as Runtime)
  const spaces = {
    runtime: answer,
    pause: (id: string) => (writes.push(`pause ${id}`), answer()),
    requestHardware: (_id: string, flavor: string, sleep?: number) => (
      writes.push(`hardware ${flavor} ${sleep ?? '-'}`),
      answer()
    ),
    setSleepTime: (_id: string, seconds: number) => (writes.push(`sleeptime ${seconds}`), answer()),
    delete: (id: string) => (writes.push(`delete ${id}`), Promise.resolve())
  }
  return { spaces: spaces as unknown as SpacesApi, writes, reads: () => next }
}

/** A fake clock: sleeping moves it on, nothing waits for real. */
function hooks() {
  let now = 1_000_000
  const warnings: string[] = []
  return {
    clock: { now: () => now, sleep: (ms: number) => ((now += ms), Promise.resolve()) },
    info: () => undefined,
    warn: (text: string) => warnings.push(text),
    warnings,
    at: () => now
  }
}

function state(
  mode: TeardownState['mode'],
  before?: Runtime,
  extra: Partial<TeardownState> = {}
): TeardownState {
  return { ...teardownState('acme/eval-app', 'https://huggingface.co', mode, before), ...extra }
}

const upgraded = runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 1800 })
const setT4 = { set: { hardware: 't4-small', landed: true, at: 1_000_000 } }

describe('tearDown', () => {
  it('restores the previous flavor; cpu-basic gets no sleep time', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    expect(
      await tearDown(spaces, state('restore', runtime('RUNNING', 'cpu-basic'), setT4), hooks())
    ).toContain('t4-small → cpu-basic')
    expect(writes).toEqual(['hardware cpu-basic -'])
  })

  it('restores a paid flavor with its sleep time in the same call, never-sleeping as -1', async () => {
    const { spaces, writes } = fakeSpaces(runtime('RUNNING', 'a10g-large', 'a10g-large', { sleepTime: 600 }))
    const before = runtime('RUNNING', 't4-small', 't4-small', { sleepTime: null })
    await tearDown(
      spaces,
      state('restore', before, { set: { hardware: 'a10g-large', sleepTime: 600, landed: true, at: 0 } }),
      hooks()
    )
    expect(writes).toEqual(['hardware t4-small -1'])
  })

  it('restores only the sleep time when the flavor is unchanged', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    const before = runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 3600 })
    await tearDown(
      spaces,
      state('restore', before, { set: { sleepTime: 1800, landed: true, at: 0 } }),
      hooks()
    )
    expect(writes).toEqual(['sleeptime 3600'])
  })

  it('pauses again a Space that was paused before the job', async () => {
    const { spaces, writes } = fakeSpaces(upgraded)
    await tearDown(spaces, state('restore', runtime('PAUSED', null, 'cpu-basic'), setT4), hooks())
    expect(writes).toEqual(['hardware cpu-basic -', 'pause acme/eval-app'])
  })

  it('is idempotent: nothing to do is said, not done', async () => {
    const same = fakeSpaces(upgraded)
    expect(await tearDown(same.spaces, state('restore', upgraded), hooks())).toContain('already as it was')
    const paused = fakeSpaces(runtime('PAUSED', null, 't4-small'))
    expect(await tearDown(paused.spaces, state('pause', upgraded), hooks())).toContain('already paused')
    const basic = fakeSpaces(runtime('RUNNING', 'cpu-basic'))
    expect(await tearDown(basic.spaces, state('downgrade', upgraded), hooks())).toContain(
      'already on cpu-basic'
    )
    expect([...same.writes, ...paused.writes, ...basic.writes]).toEqual([])
  })

  it('pauses and downgrades', async () => {
    const pause = fakeSpaces(upgraded)
    await tearDown(pause.spaces, state('pause', upgraded), hooks())
    const down = fakeSpaces(upgraded)
    await tearDown(down.spaces, state('downgrade', upgraded), hooks())
    expect([...pause.writes, ...down.writes]).toEqual(['pause acme/eval-app', 'hardware cpu-basic -'])
  })

  it('leaves a static Space alone', async () => {
    const { spaces, writes } = fakeSpaces(runtime('RUNNING', null, null, { sleepTime: undefined }))
    await tearDown(
      spaces,
      state('restore', runtime('RUNNING', null, null, { sleepTime: undefined })),
      hooks()
    )
    await tearDown(spaces, state('downgrade', runtime('RUNNING', null, null)), hooks())
    expect(writes).toEqual([])
  })

  it('leaves a Space another job moved on from what this job set, in every mode, and says why', async () => {
    const other = runtime('RUNNING', 'a10g-large', 'a10g-large')
    for (const mode of ['restore', 'pause', 'downgrade'] as const) {
      const { spaces, writes } = fakeSpaces(other)
      const h = hooks()
      expect(await tearDown(spaces, state(mode, runtime('RUNNING', 'cpu-basic'), setT4), h)).toContain(
        'left as it is'
      )
      expect(writes).toEqual([])
      expect(h.warnings[0]).toContain('is on a10g-large, not t4-small')
    }
    // Restore undoes only this job's change: a job that set no hardware leaves another job's upgrade alone.
    const { spaces, writes } = fakeSpaces(other)
    await tearDown(spaces, state('restore', runtime('RUNNING', 'cpu-basic')), hooks())
    expect(writes).toEqual([])
  })

  it('watches for a hardware request whose answer the main step never saw, then undoes it', async () => {
    const before = runtime('RUNNING', 'cpu-basic')
    const fake = fakeSpaces(before, before, upgraded)
    const h = hooks()
    const pending = state('restore', before, { set: { hardware: 't4-small', landed: false, at: h.at() } })
    expect(await tearDown(fake.spaces, pending, h)).toContain('t4-small → cpu-basic')
    expect(fake.writes).toEqual(['hardware cpu-basic -'])
    expect(fake.reads()).toBeGreaterThanOrEqual(3)
  })

  it('watches a bounded time only, then warns that the request may still land', async () => {
    const before = runtime('RUNNING', 'cpu-basic')
    const fake = fakeSpaces(before)
    const h = hooks()
    const pending = state('pause', before, { set: { hardware: 't4-small', landed: false, at: h.at() } })
    await tearDown(fake.spaces, pending, h)
    expect(h.at()).toBe(1_000_000 + IN_FLIGHT_MS)
    expect(h.warnings.join()).toContain('may still land')
    expect(fake.writes).toEqual(['pause acme/eval-app'])
  })

  it('deletes only a Space this step created; never on a guess', async () => {
    const made = fakeSpaces(upgraded)
    await tearDown(made.spaces, state('delete', undefined, { created: 'yes' }), hooks())
    expect(made.writes).toEqual(['delete acme/eval-app'])

    const existing = fakeSpaces(upgraded)
    const h = hooks()
    expect(await tearDown(existing.spaces, state('delete', upgraded, { created: 'no' }), h)).toContain(
      'left as it is'
    )
    expect(h.warnings[0]).toContain('operation: delete')

    const unknown = fakeSpaces(upgraded)
    await expect(
      tearDown(unknown.spaces, state('delete', undefined, { created: 'sending' }), hooks())
    ).rejects.toThrow(/not deleted on a guess/)
    expect([...existing.writes, ...unknown.writes]).toEqual([])

    // A create that got no answer and made nothing: the read says not-found, reported as nothing to tear down.
    const never = fakeSpaces(upgraded)
    const notFound = new ActionError('not-found', 'gone', '', 404)
    const gone = { ...never.spaces, runtime: () => Promise.reject(notFound) } as unknown as SpacesApi
    await expect(tearDown(gone, state('delete', undefined, { created: 'sending' }), hooks())).rejects.toBe(
      notFound
    )

    // Operations that create nothing keep `teardown: delete` as asked.
    const other = fakeSpaces(upgraded)
    await tearDown(other.spaces, state('delete', upgraded), hooks())
    expect(other.writes).toEqual(['delete acme/eval-app'])
  })
})

const expected = { spaceId: 'acme/eval-app', endpoint: 'https://huggingface.co', mode: 'restore' }
const storeOf = (text: string) => ({ save: () => undefined, get: () => text })

describe('teardown state', () => {
  it('round-trips through the state store without a token in it', () => {
    const store = new Map<string, string>()
    const saved = state('restore', runtime('RUNNING', 'cpu-basic', 'cpu-basic', { sleepTime: null }), {
      safetySleep: true,
      billing: { flavor: 't4-small', usdPerHour: 0.4, since: 5 },
      set: { hardware: 't4-small', sleepTime: -1, landed: true, at: 5 }
    })
    saveTeardown({ save: (k, v) => store.set(k, v), get: k => store.get(k) ?? '' }, saved)
    expect([...store.values()].join()).not.toMatch(/hf_/)
    expect(loadTeardown({ save: () => undefined, get: k => store.get(k) ?? '' }, () => expected)).toEqual(
      saved
    )
    expect(saved.before).toEqual({ stage: 'RUNNING', hardware: 'cpu-basic', sleepTime: null })
  })

  it('is absent only when main saved nothing', () => {
    expect(loadTeardown(storeOf(''), () => expected)).toBeUndefined()
  })

  it.each([
    ['not JSON', '{"spaceId":', /not JSON/],
    ['an unknown mode', { mode: 'explode' }, /not a teardown/],
    ['mode none', { mode: 'none' }, /not a teardown/],
    ['a bad space id', { spaceId: '../x' }, /not owner\/name/],
    ['plain http to another host', { endpoint: 'http://evil.example' }, /plain http/],
    ['credentials in the endpoint', { endpoint: 'https://u:p@huggingface.co' }, /credentials/],
    ['a non-http endpoint', { endpoint: 'file:///etc' }, /not an http/],
    ['an unknown field', { token: 'x' }, /unknown field\(s\) token/],
    [
      'an unknown nested field',
      { before: { stage: 'RUNNING', hardware: 'cpu-basic', x: 1 } },
      /before has unknown/
    ],
    ['a bad flavor', { set: { hardware: 'T4 SMALL', landed: true, at: 1 } }, /set.hardware/],
    ['a bad created', { created: 'maybe' }, /created/],
    ['an array', [], /not an object/]
  ])('refuses a state with %s', (_name, patch, message) => {
    const base = { spaceId: 'acme/eval-app', endpoint: 'https://huggingface.co', mode: 'restore' }
    const text =
      typeof patch === 'string' ? patch : JSON.stringify(Array.isArray(patch) ? patch : { ...base, ...patch })
    expect(() => parseTeardown(text)).toThrow(message)
  })

  it('accepts plain http to loopback only (the emulator)', () => {
    expect(parseTeardown(JSON.stringify({ ...expected, endpoint: 'http://127.0.0.1:8080' })).endpoint).toBe(
      'http://127.0.0.1:8080'
    )
  })

  it("refuses a state about another Space, endpoint or mode than the post step's inputs", () => {
    const text = JSON.stringify(expected)
    for (const other of [
      { ...expected, spaceId: 'acme/other' },
      { ...expected, endpoint: 'https://hub.example' },
      { ...expected, mode: 'delete' }
    ]) {
      expect(() => loadTeardown(storeOf(text), () => other)).toThrow(/this step's inputs say/)
    }
  })
})

describe('TeardownJournal', () => {
  function journal(initial: TeardownState) {
    const saved: TeardownState[] = []
    const store = {
      save: (_k: string, v: string) => saved.push(JSON.parse(v) as TeardownState),
      get: () => ''
    }
    return {
      journal: new TeardownJournal(
        state => saveTeardown(store, state),
        initial,
        () => 7
      ),
      saved
    }
  }

  it('saves the intent before the write, and that it landed after', async () => {
    const { journal: j, saved } = journal(state('restore', upgraded))
    let during: TeardownState | undefined
    await j.track({ hardware: 'a10g-large' }, () => ((during = saved.at(-1)), Promise.resolve()))
    expect(during?.set).toEqual({ hardware: 'a10g-large', landed: false, at: 7 })
    expect(saved.at(-1)?.set).toEqual({ hardware: 'a10g-large', landed: true, at: 7 })
  })

  it('keeps an unanswered write as pending, and drops one the Hub refused', async () => {
    const lost = journal(state('delete', undefined, { created: 'no' }))
    await expect(
      lost.journal.track({ created: true }, () => Promise.reject(new Error('socket hang up')))
    ).rejects.toThrow()
    expect(lost.saved.at(-1)?.created).toBe('sending')
    const refused = journal(state('delete', undefined, { created: 'no' }))
    const conflict = new ActionError('bad-request', 'exists', '', 409)
    await expect(refused.journal.track({ created: true }, () => Promise.reject(conflict))).rejects.toBe(
      conflict
    )
    expect(refused.saved.at(-1)?.created).toBe('no')
  })
})
