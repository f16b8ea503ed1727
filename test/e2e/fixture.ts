/** One emulated Hub per test, and the built action run against it the way the runner runs it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect } from '@jest/globals'
import { startEmulator, DEFAULT_ACCOUNTS, type Emulator, type SpaceSpec } from '../hub-emulator/index.js'
import { runJob, runStep, startStep, type StepOptions, type StepResult } from '../harness/runner.js'

const account = (name: string): string => DEFAULT_ACCOUNTS.find(a => a.name === name)?.token ?? ''
export const OWNER_TOKEN = account('acme')
export const OUTSIDER_TOKEN = account('outsider')
export const READER_TOKEN = account('reader')
export const SPACE = 'acme/eval-app'

export interface Fixture {
  hub: Emulator
  /** Options for a step against this hub: the owner's token in HF_TOKEN, the hub as endpoint. */
  step(inputs: Record<string, string>, env?: Record<string, string>): StepOptions
  writes(): string[]
}

export function useHub(spaces: SpaceSpec[] = [{ id: SPACE }]): Fixture {
  const fixture = {} as Fixture
  beforeEach(async () => {
    const hub = await startEmulator()
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

/** A folder on disk from a map of relative paths to contents. */
export function folder(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hf-upload-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), content)
  }
  return root
}
