/**
 * What the GitHub runner hands the action: inputs, state, outputs, the summary, masking, cancellation, time, and the
 * Hub client built from them. The only module that talks to @actions/core; the steps take a `Runner`, so tests run
 * them in process with a fake one.
 */
import * as core from '@actions/core'
import { realClock, type Clock } from './clock.js'
import { asActionError } from './errors.js'
import { HubClient, type HubClientOptions } from './hub/client.js'
import type { Logger } from './logger.js'
import { ACTION_NAME, ACTION_VERSION } from './plan/names.js'
import type { InputSource } from './plan/read-inputs.js'
import { redact, rememberSecret, untrustedBlock, untrustedLine } from './report/untrusted.js'
import type { StateStore } from './teardown/state.js'

export interface Runner {
  inputs: InputSource
  state: StateStore
  log: Logger
  env: NodeJS.ProcessEnv
  clock: Clock
  random: () => number
  /** Aborts when the job is cancelled. */
  signal: AbortSignal
  setOutput(name: string, value: string): void
  /** Appends HTML to the job summary. */
  appendSummary(html: string): Promise<void>
  /** Marks the step failed with an `::error::` annotation. */
  setFailed(message: string): void
  getIdToken(audience: string): Promise<string>
  /** A client on the runner's cancellation signal. */
  hubClient(endpoint: string, token: string | undefined, options?: ClientLimits): HubClient
}

export type ClientLimits = Pick<HubClientOptions, 'maxAttempts' | 'deadline'>

/**
 * The runner of a real job; `dispose` stops listening for cancellation. The post step does not listen (`cancellable:
 * false`): it is the teardown that cancellation leaves to run, so its signal never aborts.
 */
export function githubRunner({ cancellable = true } = {}): Runner & { dispose(): void } {
  const cancellation = cancellable
    ? watchCancellation()
    : { signal: new AbortController().signal, dispose: () => undefined }
  return {
    inputs: runnerInputs,
    state: runnerState,
    log: runnerLog,
    env: process.env,
    clock: realClock,
    random: Math.random,
    signal: cancellation.signal,
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary,
    // Error messages quote the Hub and the Space: redacted, since a secret could come back in them.
    setFailed: message => core.setFailed(redact(message)),
    getIdToken: audience => core.getIDToken(audience),
    hubClient: (endpoint, token, options) =>
      hubClient(endpoint, token, { signal: cancellation.signal, ...options }),
    dispose: cancellation.dispose
  }
}

/** Lines may quote the Hub or the Space: they reach the runner only through the guard of report/untrusted.ts. */
const runnerLog: Logger = {
  info: line => core.info(untrustedLine(line)),
  warn: line => core.warning(redact(line)),
  untrusted: text => core.info(untrustedBlock(text)),
  debug: line => core.debug(line),
  error: line => core.error(redact(line)),
  notice: line => core.notice(redact(line)),
  startGroup: title => core.startGroup(untrustedLine(title)),
  endGroup: () => core.endGroup(),
  group: (title, body) => core.group(title, body)
}

const runnerInputs: InputSource = {
  get: name => core.getInput(name),
  env: process.env,
  mask: maskSecret
}

const runnerState: StateStore = {
  save: (name, value) => core.saveState(name, value),
  get: name => core.getState(name)
}

/** Masks a secret in every later log line, in each form it could be printed in, and redacts it from untrusted text. */
function maskSecret(secret: string): void {
  for (const form of rememberSecret(secret)) core.setSecret(form)
}

/** `hf-space-action/0.1.0; node/v24.1.0; run/123-1`, so the Hub can tell this action's traffic apart. */
export function userAgent(env: NodeJS.ProcessEnv = process.env): string {
  const run = env.GITHUB_RUN_ID ? `; run/${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : ''
  return `${ACTION_NAME}/${ACTION_VERSION}; node/${process.version}${run}`
}

function hubClient(
  endpoint: string,
  token: string | undefined,
  options: Pick<HubClientOptions, 'signal' | 'maxAttempts' | 'deadline'> = {}
): HubClient {
  return new HubClient({
    endpoint,
    token,
    userAgent: userAgent(),
    ...options,
    log: runnerLog
  })
}

/**
 * On cancellation the runner sends SIGINT, then SIGTERM about 7.5 s later. The first signal aborts every request and
 * sleep so the step ends at once (the post step then tears down); a second one exits without waiting further.
 */
function watchCancellation(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(1)
    core.warning(`Received ${name}: stopping; the post step will run the teardown.`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/**
 * Starts an entry (main or post) so that it always ends with an annotation: whatever escapes it becomes an
 * `::error::` through setFailed, instead of an unhandled rejection whose stack trace hides the cause.
 */
export function runEntry(entry: () => Promise<void>): void {
  entry().catch((error: unknown) => core.setFailed(asActionError(error).describe()))
}

/**
 * Appends HTML to the job summary. A summary that cannot be written (its file is missing, say) is a warning: it must
 * neither hide the step's real outcome nor fail a step that did its work.
 */
async function appendSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    core.summary.emptyBuffer()
    core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}
