/**
 * The parts of undici the client uses, loaded from their own modules. undici's index loads everything it has
 * (fetch, WebSocket, caches, mocks, every interceptor), which was most of the action's start-up; see the README's
 * performance section.
 */
import type { Dispatcher } from 'undici/index.js'
import apiConnect from 'undici/lib/api/api-connect.js'
import apiRequest from 'undici/lib/api/api-request.js'
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js'
import EnvHttpProxyAgentModule from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import PoolModule from 'undici/lib/dispatcher/pool.js'

// What undici's index does for all of its API: `request` for the client, `connect` for ProxyAgent's tunnels.
Object.assign(DispatcherModule.prototype, { request: apiRequest, connect: apiConnect })

export type { Dispatcher }
export const EnvHttpProxyAgent = EnvHttpProxyAgentModule
export const Pool = PoolModule

/** undici's `request(url, options)` for a URL and a dispatcher, as its index builds it from the same function. */
export function request(
  url: string | URL,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher }
): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url)
  const { dispatcher, ...rest } = options
  return apiRequest.call(dispatcher, { ...rest, origin, path: pathname + search })
}
