/**
 * Runs the built action the way the GitHub runner does: `node dist/<entry>/index.js` in its own process, inputs as
 * INPUT_<NAME> (hyphens kept) with action.yml defaults applied, real GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY
 * files, and the post entry started with STATE_<name> variables read back from the main step's state file.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'

export const ROOT = path.resolve(import.meta.dirname, '../..')

export interface StepOptions {
  inputs: Record<string, string>
  /** Extra environment (HF_TOKEN, HF_ENDPOINT…). Nothing else from the test process leaks in. */
  env?: Record<string, string>
  /** STATE_* values for a post step. */
  state?: Record<string, string>
  /** The Node binary; HARNESS_NODE selects another one (a Node 24 binary, say). */
  node?: string
  /** A command to run node under, such as ['/usr/bin/time', '-f', '%M'] to measure peak memory. */
  prefix?: string[]
  /** The working directory, GITHUB_WORKSPACE on the runner; default this process's. */
  cwd?: string
  /** Options for node itself, before the entry (such as --import of a module-load recorder). */
  nodeArgs?: string[]
}

export interface StepResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** Every output write in order, for tests of what was published when. */
  outputWrites: [string, string][]
  state: Record<string, string>
  summary: string
  durationMs: number
}

export interface RunningStep {
  child: ChildProcess
  /** Everything printed so far, for tests that act when a line appears. */
  output(): string
  result: Promise<StepResult>
}

let defaults: Record<string, string> | undefined

/** Input defaults from action.yml, as the runner applies them. */
export function actionDefaults(): Record<string, string> {
  if (!defaults) {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string | boolean | number }>
    }
    defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, spec]) => spec.default !== undefined)
        .map(([name, spec]) => [name, String(spec.default)])
    )
  }
  return defaults
}

export function startStep(entry: 'main' | 'post', options: StepOptions): RunningStep {
  const dir = mkdtempSync(path.join(tmpdir(), 'hf-space-action-'))
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REPOSITORY: 'acme/ci',
    ...files,
    ...options.env
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value

  const started = Date.now()
  const node = options.node ?? process.env.HARNESS_NODE ?? process.execPath
  const [command = node, ...args] = [
    ...(options.prefix ?? []),
    node,
    ...(options.nodeArgs ?? []),
    path.join(ROOT, 'dist', entry, 'index.js')
  ]
  const child = spawn(command, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const result = new Promise<StepResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode, signal) =>
      resolve({
        exitCode,
        signal,
        stdout,
        stderr,
        outputs: Object.fromEntries(fileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'))),
        outputWrites: fileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        state: Object.fromEntries(fileCommands(readFileSync(files.GITHUB_STATE, 'utf8'))),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        durationMs: Date.now() - started
      })
    )
  })
  return { child, output: () => stdout + stderr, result }
}

export function runStep(entry: 'main' | 'post', options: StepOptions): Promise<StepResult> {
  return startStep(entry, options).result
}

/** Main, then post with the state main saved: one job, as far as this action is concerned. */
export async function runJob(options: StepOptions): Promise<{ main: StepResult; post: StepResult }> {
  const main = await runStep('main', options)
  const post = await runStep('post', { ...options, state: main.state })
  return { main, post }
}

/** `name<<delimiter\nvalue\ndelimiter` entries in order; as a map, a later entry wins, as on the runner. */
export function fileCommands(text: string): [string, string][] {
  const entries: [string, string][] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    entries.push([name as string, value.join('\n')])
  }
  return entries
}

/** Waits until `predicate` holds, checking every few milliseconds; for acting on another process's progress. */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
