/**
 * Keyless sign-in: a GitHub OIDC token exchanged for a short-lived Hub token scoped to the one Space (Hugging Face
 * Trusted Publishers). Every secret, the GitHub OIDC token included, is masked the moment it exists. Which
 * credentials a step uses is decided, without I/O, in src/plan/credentials.ts.
 */
import { ActionError } from '../errors.js'
import { exchangeOidcToken } from '../hub/account.js'
import type { HubClient } from '../hub/client.js'
import { HubError } from '../hub/errors.js'
import { TOKEN_ADVICE, type Credentials } from '../plan/credentials.js'
import { DEFAULT_ENDPOINT } from '../plan/names.js'

export interface KeylessDeps {
  getIdToken: (audience: string) => Promise<string>
  mask: (secret: string) => void
  env: NodeJS.ProcessEnv
}

/** For `kind: 'oidc'`, mints a Hub token and hands it to the client. Other kinds need nothing. */
export async function authenticate(
  client: HubClient,
  credentials: Credentials,
  spaceId: string,
  deps: KeylessDeps
): Promise<void> {
  if (credentials.kind !== 'oidc') return
  const audience = audienceFor(client.endpoint)
  let idToken: string
  try {
    idToken = await deps.getIdToken(audience)
  } catch (error) {
    throw new ActionError(
      'no-token',
      `Could not get a GitHub OIDC token for ${audience}: ${error instanceof Error ? error.message : String(error)}`,
      TOKEN_ADVICE
    )
  }
  deps.mask(idToken)
  let token: string
  try {
    token = await exchangeOidcToken(client, idToken, spaceId)
  } catch (error) {
    if (error instanceof HubError && error.status >= 400 && error.status < 500) {
      throw new ActionError(
        'unauthorized',
        `The Hub refused the keyless sign-in for spaces/${spaceId}: ${error.details.serverMessage ?? `HTTP ${error.status}`}.`,
        publisherAdvice(spaceId, deps.env),
        error.status
      )
    }
    throw error
  }
  deps.mask(token)
  client.useToken(token)
}

/** The audience the Hub expects in the GitHub token: huggingface.co, or another Hub's own origin. */
export function audienceFor(endpoint: string): string {
  return endpoint === DEFAULT_ENDPOINT ? DEFAULT_ENDPOINT : new URL(endpoint).origin
}

function publisherAdvice(spaceId: string, env: NodeJS.ProcessEnv): string {
  const workflow = /\/\.github\/workflows\/([^@]+)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1]
  const branch = env.GITHUB_REF?.replace(/^refs\/heads\//, '')
  const facts = [
    env.GITHUB_REPOSITORY && `repository ${env.GITHUB_REPOSITORY}`,
    workflow && `workflow ${workflow}`,
    branch && `branch ${branch}`
  ].filter(Boolean)
  return (
    `The Trusted Publishers settings of ${spaceId} must name this job exactly${facts.length ? ` (${facts.join(', ')})` : ''}; ` +
    'the exchange works only for an existing Space, and the token it gives cannot create repositories. ' +
    'Or use a token instead: env: HF_TOKEN: ${{ secrets.HF_TOKEN }}.'
  )
}
