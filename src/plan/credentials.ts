/**
 * Which credentials the Hub calls use: the `token` input, else HF_TOKEN, else (keyless) a GitHub OIDC token that
 * src/auth/keyless.ts exchanges for a Hub token. A pure choice: no I/O.
 */
import { ActionError } from '../errors.js'

export type Credentials = { kind: 'token'; token: string } | { kind: 'oidc' } | { kind: 'anonymous' }

/** The runner offers an OIDC token only to jobs with `permissions: id-token: write`. */
export function oidcAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
}

/** A token when there is one; else, for a step that writes, keyless when the job may mint OIDC tokens; else none. */
export function chooseCredentials(
  token: string | undefined,
  writes: boolean,
  env: NodeJS.ProcessEnv
): Credentials {
  if (token) return { kind: 'token', token }
  return writes && oidcAvailable(env) ? { kind: 'oidc' } : { kind: 'anonymous' }
}

export const TOKEN_ADVICE =
  'Give the step a token, or let it sign in without one:\n' +
  '  env:\n    HF_TOKEN: ${{ secrets.HF_TOKEN }}   # a token with write access to the Space\n' +
  "or, with the Space's Trusted Publishers set to this repository and workflow:\n" +
  '  permissions:\n    id-token: write'

/** A step that writes has no credentials at all: on a fork's pull request that is expected (src/github/fork.ts). */
export class MissingCredentials extends ActionError {
  constructor(message: string) {
    super('bad-input', message, TOKEN_ADVICE)
  }
}
