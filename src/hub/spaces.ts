/** One typed function per Spaces endpoint the action calls. Paths and bodies follow shared/docs/hub-api.md §5–§9. */
import type { HubClient } from './client.js'
import { readLogTail } from './logs.js'
import {
  parseHardwareCatalogue,
  parseRuntime,
  parseSpaceInfo,
  type HardwareFlavor,
  type Runtime,
  type SpaceInfo
} from './types.js'

export type LogKind = 'build' | 'run'

export class SpacesApi {
  constructor(readonly client: HubClient) {}

  async runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime> {
    return parseRuntime(
      await this.client.json(
        { method: 'GET', path: spacePath(spaceId, '/runtime'), retry: 'idempotent' },
        signal
      )
    )
  }

  async info(spaceId: string): Promise<SpaceInfo> {
    return parseSpaceInfo(
      await this.client.json({ method: 'GET', path: spacePath(spaceId), retry: 'idempotent' })
    )
  }

  /** The public flavor catalogue, with prices. Sent without the token: it is public, and a bad token is reported by the Space call. */
  async hardwareCatalogue(): Promise<HardwareFlavor[]> {
    return parseHardwareCatalogue(
      await this.client.json({
        method: 'GET',
        path: '/api/spaces/hardware',
        retry: 'idempotent',
        auth: false
      })
    )
  }

  /** Setting hardware to a value is idempotent, so it is retried. `sleepSeconds` -1 means never sleep. */
  async requestHardware(spaceId: string, flavor: string, sleepSeconds?: number): Promise<Runtime> {
    const json = sleepSeconds === undefined ? { flavor } : { flavor, sleepTimeSeconds: sleepSeconds }
    return parseRuntime(
      await this.client.json({
        method: 'POST',
        path: spacePath(spaceId, '/hardware'),
        json,
        retry: 'idempotent'
      })
    )
  }

  async setSleepTime(spaceId: string, seconds: number): Promise<Runtime> {
    return parseRuntime(
      await this.client.json({
        method: 'POST',
        path: spacePath(spaceId, '/sleeptime'),
        json: { seconds },
        retry: 'idempotent'
      })
    )
  }

  /** Pausing a paused Space changes nothing, so a repeat is harmless. */
  async pause(spaceId: string): Promise<Runtime> {
    return parseRuntime(
      await this.client.json({ method: 'POST', path: spacePath(spaceId, '/pause'), retry: 'idempotent' })
    )
  }

  /**
   * Not retried once it may have reached the Hub: a second restart would throw away the build the first one started.
   * (The wake-up of a sleeping Space goes through here too.)
   */
  async restart(spaceId: string, factory = false): Promise<Runtime> {
    return parseRuntime(
      await this.client.json({
        method: 'POST',
        path: spacePath(spaceId, '/restart'),
        ...(factory ? { query: { factory: 'true' } } : {}),
        retry: 'unsent'
      })
    )
  }

  /** The last `lines` lines of the build or run log. Never throws: logs are a diagnosis aid, not a result. */
  async logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]> {
    return readLogTail(this.client, spacePath(spaceId, `/logs/${kind}`), lines)
  }
}

export function spacePath(spaceId: string, suffix = ''): string {
  const [owner = '', name = ''] = spaceId.split('/')
  return `/api/spaces/${encodeURIComponent(owner)}/${encodeURIComponent(name)}${suffix}`
}
