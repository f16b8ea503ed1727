/**
 * Runs the steps of a workflow job the way the GitHub runner does, as far as this action is concerned: steps in order,
 * `${{ … }}` expressions evaluated from the contexts and from the outputs of earlier steps, each step of this action
 * through the harness (built-action.ts) with the job and step env, `run:` steps with bash, `$GITHUB_ENV` carried to later
 * steps, a failed step skipping the rest, then the post steps of this action in reverse order, then the job's leftover
 * processes ended. Only what the repository's own workflows and README examples use is modelled; anything else is
 * refused by name rather than guessed.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runStep, type StepResult } from './built-action.js'

export interface WorkflowStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  if?: string
}

/** The contexts expressions can read besides `steps`. */
export interface Contexts {
  github: Record<string, unknown>
  secrets: Record<string, string>
}

export interface JobOptions {
  steps: WorkflowStep[]
  /** The job's env (values may hold expressions). */
  env?: Record<string, unknown>
  contexts: Contexts
  /** Does this `uses:` name the action under test (`./`, or `owner/repo@v1` in the README)? */
  isThisAction: (uses: string) => boolean
  /** How a step that is neither this action nor a `run:` is handled: by skipping it, with the reason. */
  otherAction: (step: WorkflowStep) => string
  /** `run:` steps: 'bash' runs them; 'evaluate' only evaluates their expressions (a user's own commands). */
  runSteps: 'bash' | 'evaluate'
  /** Extra environment for this action's steps, as the runner provides it (ACTIONS_ID_TOKEN_REQUEST_URL…). */
  runnerEnv?: Record<string, string>
  /** GITHUB_WORKSPACE: the working directory of every step. */
  workspace: string
  /** Steps whose id is listed here are skipped (the test has already done what they do). */
  skip?: Record<string, string>
  /** Called after the post steps, while what the job started still runs, with the job's env (HF_ENDPOINT…). */
  afterPosts?: (env: Record<string, string>) => Promise<void>
}

export interface StepRecord {
  label: string
  phase: 'main' | 'post'
  outcome: 'success' | 'failure' | 'skipped'
  /** Why a step was skipped. */
  reason?: string
  /** The inputs this action's step was given, after evaluation. */
  inputs?: Record<string, string>
  result?: StepResult
  /** A `run:` step's output, or the expression error that failed a step. */
  log?: string
}

export interface JobResult {
  records: StepRecord[]
  outputs: Record<string, Record<string, string>>
  failed: boolean
  /** Every record in order, one line each, with the log of failed steps: for assertion messages. */
  transcript(): string
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g

/**
 * The value of every `${{ … }}` in `text`. Supported: a context path (`steps.<id>.outputs.<name>`, `secrets.X`,
 * `github.x.y`, `env.X`), a quoted string, and `a == b` / `a != b`. A step output that was never written is an error,
 * not an empty string: an example that reads an output the action does not set is a broken example.
 */
export function evaluate(
  text: string,
  scope: Contexts & { steps: Record<string, Record<string, string>>; env: Record<string, string> }
): string {
  return text.replace(EXPRESSION, (_, expression: string) => {
    const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(expression)
    if (!comparison) return operand(expression)
    const [, left = '', operator, right = ''] = comparison
    const equal = operand(left).toLowerCase() === operand(right).toLowerCase()
    return String(operator === '==' ? equal : !equal)
  })

  function operand(raw: string): string {
    const literal = /^'((?:[^']|'')*)'$/.exec(raw)
    if (literal) return (literal[1] ?? '').replace(/''/g, "'")
    const steps = /^steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)$/.exec(raw)
    if (steps) {
      const [, id = '', name = ''] = steps
      const outputs = scope.steps[id]
      if (!outputs) throw new Error(`\${{ ${raw} }}: no earlier step has the id "${id}"`)
      const value = outputs[name]
      if (value === undefined)
        throw new Error(`\${{ ${raw} }}: step "${id}" did not set the output "${name}"`)
      return value
    }
    const [context, ...rest] = raw.split('.')
    let value: unknown =
      context === 'github'
        ? scope.github
        : context === 'secrets'
          ? scope.secrets
          : context === 'env'
            ? scope.env
            : null
    if (value === null || rest.length === 0)
      throw new Error(`\${{ ${raw} }}: not an expression this harness evaluates`)
    for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key]
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`\${{ ${raw} }}: not a value set in this rehearsal's contexts`)
    }
    return String(value)
  }
}

export async function runWorkflowJob(options: JobOptions): Promise<JobResult> {
  const records: StepRecord[] = []
  const outputs: Record<string, Record<string, string>> = {}
  const jobEnv: Record<string, string> = {}
  const posts: {
    label: string
    inputs: Record<string, string>
    env: Record<string, string>
    state: Record<string, string>
  }[] = []
  const groups: number[] = []
  let failed = false
  const scope = (): Parameters<typeof evaluate>[1] => ({ ...options.contexts, steps: outputs, env: jobEnv })

  for (const [name, value] of Object.entries(options.env ?? {}))
    jobEnv[name] = evaluate(String(value), scope())

  try {
    for (const [index, step] of options.steps.entries()) {
      const label = step.id ?? step.name ?? step.uses ?? `step ${index + 1}`
      const skip = (reason: string): void =>
        void records.push({ label, phase: 'main', outcome: 'skipped', reason })
      if (step.if !== undefined) throw new Error(`${label}: "if:" is not modelled by this harness`)
      if (failed) {
        skip('an earlier step failed')
        continue
      }
      const skipped = step.id === undefined ? undefined : options.skip?.[step.id]
      if (skipped !== undefined) {
        skip(skipped)
        continue
      }
      if (step.uses !== undefined && !options.isThisAction(step.uses)) {
        skip(options.otherAction(step))
        continue
      }

      let env: Record<string, string>
      const inputs: Record<string, string> = {}
      try {
        env = { ...jobEnv }
        for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(String(value), scope())
        for (const [key, value] of Object.entries(step.with ?? {}))
          inputs[key] = evaluate(String(value), scope())
        if (step.uses === undefined && options.runSteps === 'evaluate') evaluate(step.run ?? '', scope())
      } catch (error) {
        failed = true
        records.push({ label, phase: 'main', outcome: 'failure', log: (error as Error).message })
        continue
      }

      if (step.uses !== undefined) {
        const result = await runStep('main', {
          inputs,
          env: { ...env, ...options.runnerEnv },
          cwd: options.workspace
        })
        const ok = result.exitCode === 0
        failed ||= !ok
        if (step.id !== undefined) outputs[step.id] = result.outputs
        records.push({ label, phase: 'main', outcome: ok ? 'success' : 'failure', inputs, result })
        // The runner registers the post step once the main step has run, whatever its outcome (post-if: always()).
        posts.push({ label, inputs, env, state: result.state })
        continue
      }
      if (options.runSteps === 'evaluate') {
        skip("a user's own command: its expressions were evaluated, it was not run")
        if (step.id !== undefined) outputs[step.id] = {}
        continue
      }
      const ran = await runBash(evaluate(step.run ?? '', scope()), env, options.workspace, groups)
      failed ||= ran.exitCode !== 0
      if (step.id !== undefined) outputs[step.id] = ran.outputs
      Object.assign(jobEnv, ran.env)
      records.push({
        label,
        phase: 'main',
        outcome: ran.exitCode === 0 ? 'success' : 'failure',
        log: ran.log
      })
    }

    for (const post of posts.reverse()) {
      const result = await runStep('post', {
        inputs: post.inputs,
        env: { ...post.env, ...options.runnerEnv },
        state: post.state,
        cwd: options.workspace
      })
      failed ||= result.exitCode !== 0
      records.push({
        label: post.label,
        phase: 'post',
        outcome: result.exitCode === 0 ? 'success' : 'failure',
        inputs: post.inputs,
        result
      })
    }
    await options.afterPosts?.(jobEnv)
  } finally {
    await endProcessGroups(groups)
  }

  return {
    records,
    outputs,
    failed,
    transcript: () =>
      records
        .map(record => {
          const head = `${record.phase} ${record.label}: ${record.outcome}${record.reason ? ` (${record.reason})` : ''}`
          if (record.outcome !== 'failure') return head
          const log = record.log ?? `${record.result?.stdout ?? ''}${record.result?.stderr ?? ''}`
          return `${head}\n${log}`
        })
        .join('\n')
  }
}

interface BashResult {
  exitCode: number | null
  outputs: Record<string, string>
  env: Record<string, string>
  log: string
}

/**
 * `shell: bash` as the runner runs it (`bash --noprofile --norc -eo pipefail`), in a process group of its own so that
 * what it leaves running in the background can be ended with the job.
 */
async function runBash(
  script: string,
  stepEnv: Record<string, string>,
  cwd: string,
  groups: number[]
): Promise<BashResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hf-space-action-run-'))
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_ENV: path.join(dir, 'env') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  writeFileSync(path.join(dir, 'script.sh'), script)
  // The runner's own environment (PATH, HOME…) without this test process's jest flags.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    ...files,
    ...stepEnv
  }
  delete env.NODE_OPTIONS
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(dir, 'script.sh')], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (child.pid !== undefined) groups.push(child.pid)
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  return {
    exitCode,
    outputs: Object.fromEntries(keyValueCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'))),
    env: Object.fromEntries(keyValueCommands(readFileSync(files.GITHUB_ENV, 'utf8'))),
    log
  }
}

/** `$GITHUB_OUTPUT` / `$GITHUB_ENV` as a shell writes them: `name=value` lines and `name<<delimiter` blocks. */
function keyValueCommands(text: string): [string, string][] {
  const entries: [string, string][] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const block = /^([^=<]+)<<(.+)$/.exec(line)
    if (block) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== block[2]; i++) value.push(lines[i] ?? '')
      entries.push([block[1] ?? '', value.join('\n')])
    } else if (line.includes('=')) {
      entries.push([line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    }
  }
  return entries
}

/** What the runner does after the post steps ("Cleaning up orphan processes"), and waits until they are gone. */
async function endProcessGroups(groups: number[]): Promise<void> {
  const alive = (pgid: number): boolean => {
    try {
      process.kill(-pgid, 0)
      return true
    } catch {
      return false
    }
  }
  for (const pgid of groups) if (alive(pgid)) process.kill(-pgid, 'SIGTERM')
  // Bounded: a process that ignores SIGTERM for 5 s is killed.
  for (let waited = 0; groups.some(alive) && waited < 5_000; waited += 50) {
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  for (const pgid of groups) if (alive(pgid)) process.kill(-pgid, 'SIGKILL')
}
