/** One emulated Hub per test, and the built action run against it the way the runner runs it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect } from '@jest/globals'
import {
  DEFAULT_ACCOUNTS,
  FakeClock,
  startEmulator,
  type Emulator,
  type SpaceSpec
} from '../../packages/hub-emulator/src/index.js'
import { runJob, runStep, startStep, type StepOptions, type StepResult } from '../harness/built-action.js'

const account = (name: string): string => DEFAULT_ACCOUNTS.find(a => a.name === name)?.token ?? ''
export const OWNER_TOKEN = account('acme')
export const OUTSIDER_TOKEN = account('outsider')
export const READER_TOKEN = account('reader')
export const SPACE = 'acme/eval-app'

export interface Fixture {
  hub: Emulator
  /**
   * The emulator's clock when the fixture asked for a fake one: the Space's stages move only when the test
   * advances it, so a test can hold a state until the action has seen it (event order, not machine speed).
   */
  clock: FakeClock
  /** Options for a step against this hub: the owner's token in HF_TOKEN, the hub as endpoint. */
  step(inputs: Record<string, string>, env?: Record<string, string>): StepOptions
  writes(): string[]
}

export function useHub(
  spaces: SpaceSpec[] = [{ id: SPACE }],
  options: { fakeClock?: boolean } = {}
): Fixture {
  const fixture = {} as Fixture
  beforeEach(async () => {
    fixture.clock = new FakeClock()
    const hub = await startEmulator(options.fakeClock ? { clock: fixture.clock } : {})
    for (const space of spaces) hub.addSpace(space)
    fixture.hub = hub
    fixture.step = (inputs, env = {}) => ({
      inputs: { endpoint: hub.url, ...inputs },
      env: { HF_TOKEN: OWNER_TOKEN, ...env }
    })
    fixture.writes = () =>
      hub
        .requests()
        .filter(r => r.method !== 'GET')
        .map(r => `${r.method} ${r.path}${r.body ? ` ${r.body}` : ''}`)
  })
  afterEach(async () => {
    await fixture.hub.close()
  })
  return fixture
}

export { runJob, runStep, startStep }

/**
 * The secret appears nowhere but in the `::add-mask::` commands that hide it: not in logs, outputs, state or summary.
 */
export function expectSecretKept(result: StepResult, secret: string): void {
  const lines = (result.stdout + result.stderr).split('\n')
  const leaks = lines.filter(line => line.includes(secret) && !line.startsWith('::add-mask::'))
  expect(leaks).toEqual([])
  const values = [...Object.values(result.outputs), ...Object.values(result.state), result.summary]
  expect(values.filter(value => value.includes(secret))).toEqual([])
}

/** `::error::` lines, unescaped the way the runner shows them. */
export function errors(result: StepResult): string[] {
  return result.stdout
    .split('\n')
    .filter(line => line.startsWith('::error::'))
    .map(line =>
      line.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    )
}

interface Polled {
  stage: string
  current: string | null
}

/**
 * The runtimes the emulator answered to the action's reads of the runtime or of the Space info (which embeds it),
 * in order, from `since` (an index in the request log) on.
 */
export function polledStages(hub: Emulator, since = 0, id: string = SPACE): Polled[] {
  const paths = [`/api/spaces/${id}`, `/api/spaces/${id}/runtime`]
  return hub
    .requests()
    .slice(since)
    .filter(r => r.method === 'GET' && paths.includes(r.path) && r.status === 200)
    .map(r => {
      const body = JSON.parse(r.responseBody ?? '{}') as { runtime?: unknown }
      const runtime = (r.path.endsWith('/runtime') ? body : body.runtime) as {
        stage: string
        hardware: { current: string | null }
      }
      return { stage: runtime.stage, current: runtime.hardware.current }
    })
}

/** A folder on disk from a map of relative paths to contents. */
export function folder(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hf-upload-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), content)
  }
  return root
}
