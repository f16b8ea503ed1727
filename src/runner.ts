/** What the GitHub runner hands the action: inputs, state, masking, cancellation, and the client built from them. */
import * as core from '@actions/core'
import { HubClient, type HubClientOptions } from './hub/client.js'
import { ACTION_NAME, ACTION_VERSION } from './names.js'
import type { InputSource } from './inputs.js'
import type { StateStore } from './state.js'
import { rememberSecret } from './untrusted.js'

/** Masks a secret in every later log line, in each form it could be printed in, and redacts it from untrusted text. */
export function maskSecret(secret: string): void {
  for (const form of rememberSecret(secret)) core.setSecret(form)
}

export const runnerInputs: InputSource = {
  get: name => core.getInput(name),
  env: process.env,
  mask: maskSecret
}

export const runnerState: StateStore = {
  save: (name, value) => core.saveState(name, value),
  get: name => core.getState(name)
}

/** `hf-space-action/0.1.0; node/v24.1.0; run/123-1`, so the Hub can tell this action's traffic apart. */
export function userAgent(env: NodeJS.ProcessEnv = process.env): string {
  const run = env.GITHUB_RUN_ID ? `; run/${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : ''
  return `${ACTION_NAME}/${ACTION_VERSION}; node/${process.version}${run}`
}

export function hubClient(
  endpoint: string,
  token: string | undefined,
  options: Pick<HubClientOptions, 'signal' | 'maxAttempts' | 'deadline'> = {}
): HubClient {
  return new HubClient({
    endpoint,
    token,
    userAgent: userAgent(),
    ...options,
    debug: line => core.debug(line)
  })
}

/**
 * On cancellation the runner sends SIGINT, then SIGTERM about 7.5 s later. The first signal aborts every request and
 * sleep so the step ends at once (the post step then tears down); a second one exits without waiting further.
 */
export function watchCancellation(): { signal: AbortSignal; dispose: () => void } {
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
