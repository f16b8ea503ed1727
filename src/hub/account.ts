/** The Hub's account endpoints: who the token is, and the token exchange for keyless (OIDC) auth. */
import type { HubClient } from './client.js'
import { parseAccessToken, parseWhoAmI, type WhoAmI } from './types.js'

/** Rate-limited hard by the Hub: called only to explain a failure, never on the happy path. */
export async function whoAmI(client: HubClient): Promise<WhoAmI> {
  return parseWhoAmI(await client.json({ method: 'GET', path: '/api/whoami-v2', retry: 'idempotent' }))
}

/**
 * Exchanges a GitHub OIDC token for a short-lived Hub token scoped to one Space (Trusted Publishers,
 * docs/hub-api.md §13). Repeating it only mints another token, so it is retried.
 */
export async function exchangeOidcToken(
  client: HubClient,
  idToken: string,
  spaceId: string
): Promise<string> {
  const answer = await client.json({
    method: 'POST',
    path: '/oauth/token',
    auth: false,
    retry: 'idempotent',
    json: {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: idToken,
      resource: `spaces/${spaceId}`
    }
  })
  return parseAccessToken(answer).token
}
