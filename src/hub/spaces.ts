/** One typed function per Spaces endpoint the action calls. Paths and bodies follow docs/hub-api.md §5–§9. */
import { mayHaveApplied, type HubClient, type HubRequest } from './client.js'
import { followLog, readLogTail } from './logs.js'
import {
  parseHardwareCatalogue,
  parseRepoUrl,
  parseRuntime,
  parseSecretKeys,
  parseSpaceList,
  parseSpaceInfo,
  parseVariables,
  sleepTimeAsRead,
  type HardwareFlavor,
  type Runtime,
  type SpaceInfo,
  type Variable,
  type Volume
} from './types.js'

export type LogKind = 'build' | 'run'

/** A write a dry run would have sent, with secret values replaced by `***`. */
export interface PlannedWrite {
  method: string
  path: string
  body?: unknown
}

export interface KeyValueInput {
  key: string
  value: string
}

/** Settings accepted at creation (`POST /api/repos/create`) and duplication, as the Hub names them. */
export interface NewSpaceSettings {
  private?: boolean
  hardware?: string
  sleepTimeSeconds?: number
  storageTier?: string
  secrets?: KeyValueInput[]
  variables?: KeyValueInput[]
  volumes?: Volume[]
}

/**
 * With `dryRun`, reads go to the Hub as usual and writes are only recorded: each answers with what the Hub would
 * say, simulated from the last runtime read, so an operation runs unchanged and makes no write.
 */
export class SpacesApi {
  private last: Runtime | undefined
  private lastVariables = new Map<string, Variable>()

  constructor(
    readonly client: HubClient,
    readonly dryRun?: { writes: PlannedWrite[] }
  ) {}

  async runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime> {
    this.last = parseRuntime(
      await this.client.json(
        { method: 'GET', path: spacePath(spaceId, '/runtime'), retry: 'idempotent' },
        signal
      )
    )
    return this.last
  }

  async info(spaceId: string): Promise<SpaceInfo> {
    return parseSpaceInfo(
      await this.client.json({ method: 'GET', path: spacePath(spaceId), retry: 'idempotent' })
    )
  }

  /** The ids of an owner's Spaces the caller can see (`GET /api/spaces?author=`), every page of the listing. */
  async listSpaceIds(owner: string): Promise<string[]> {
    const ids: string[] = []
    let req: HubRequest | null = {
      method: 'GET',
      path: '/api/spaces',
      query: { author: owner },
      retry: 'idempotent'
    }
    while (req) {
      const { body, next } = await this.client.page(req)
      ids.push(...parseSpaceList(body))
      // The next page's path carries the whole query (cursor included).
      req = next ? { method: 'GET', path: next, retry: 'idempotent' } : null
    }
    return ids
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

  /**
   * Each request restarts the Space (a paid one starts billing anew), so it is never sent twice blindly: when one may
   * have reached the Hub unanswered, the Space is read back and the request sent again only if it did not land.
   * `sleepSeconds` NEVER_SLEEP means never sleep.
   */
  async requestHardware(spaceId: string, flavor: string, sleepSeconds?: number): Promise<Runtime> {
    const json = sleepSeconds === undefined ? { flavor } : { flavor, sleepTimeSeconds: sleepSeconds }
    const send = (): Promise<Runtime> =>
      this.runtimeWrite(
        { method: 'POST', path: spacePath(spaceId, '/hardware'), json, retry: 'unsent' },
        r => ({
          ...r,
          requestedHardware: flavor,
          ...(sleepSeconds !== undefined ? { sleepTime: sleepTimeAsRead(sleepSeconds) } : {})
        })
      )
    try {
      return await send()
    } catch (error) {
      if (!mayHaveApplied(error)) throw error
      const now = await this.runtime(spaceId)
      return now.requestedHardware === flavor ? now : send()
    }
  }

  async setSleepTime(spaceId: string, seconds: number): Promise<Runtime> {
    return this.runtimeWrite(
      { method: 'POST', path: spacePath(spaceId, '/sleeptime'), json: { seconds }, retry: 'idempotent' },
      r => ({ ...r, sleepTime: sleepTimeAsRead(seconds) })
    )
  }

  /** Pausing a paused Space changes nothing, so a repeat is harmless. */
  async pause(spaceId: string): Promise<Runtime> {
    return this.runtimeWrite(
      { method: 'POST', path: spacePath(spaceId, '/pause'), retry: 'idempotent' },
      r => ({
        ...r,
        stage: 'PAUSED',
        hardware: null
      })
    )
  }

  /**
   * Not retried once it may have reached the Hub: a second restart would throw away the build the first one started.
   * (The wake-up of a sleeping Space goes through here too.)
   */
  async restart(spaceId: string, factory = false): Promise<Runtime> {
    return this.runtimeWrite(
      {
        method: 'POST',
        path: spacePath(spaceId, '/restart'),
        ...(factory ? { query: { factory: 'true' } } : {}),
        retry: 'unsent'
      },
      r => ({ ...r, stage: 'BUILDING', hardware: null })
    )
  }

  /** Not retried after it may have arrived: a repeat answers 409, which would hide whether this call created it. */
  async create(spaceId: string, sdk: string, settings: NewSpaceSettings): Promise<string> {
    const [organization, name] = splitId(spaceId)
    const json = { name, organization, type: 'space', sdk, ...settings }
    return this.write(
      { method: 'POST', path: '/api/repos/create', json, retry: 'unsent' },
      parseRepoUrl,
      () => spaceUrl(spaceId),
      redactSettings(json)
    )
  }

  async duplicate(fromId: string, toId: string, settings: NewSpaceSettings): Promise<string> {
    const json = { repository: toId, ...settings }
    return this.write(
      { method: 'POST', path: spacePath(fromId, '/duplicate'), json, retry: 'unsent' },
      parseRepoUrl,
      () => spaceUrl(toId),
      redactSettings(json)
    )
  }

  /** Deleting twice answers 404, which the caller reads as "already gone", so a repeat is harmless. */
  async delete(spaceId: string): Promise<void> {
    const [organization, name] = splitId(spaceId)
    const json = { name, organization, type: 'space' }
    await this.write(
      { method: 'DELETE', path: '/api/repos/delete', json, retry: 'idempotent' },
      () => undefined,
      () => undefined,
      undefined,
      // It answers `OK`, not JSON.
      'text'
    )
  }

  /** Keys only: values never come back. (No recording shows this endpoint; SPEC and the Python client do.) */
  async secretKeys(spaceId: string): Promise<string[]> {
    return parseSecretKeys(
      await this.client.json({ method: 'GET', path: spacePath(spaceId, '/secrets'), retry: 'idempotent' })
    )
  }

  /** Setting a key to a value is idempotent. The value is never logged: the dry-run record shows `***`. */
  async setSecret(spaceId: string, key: string, value: string): Promise<void> {
    await this.write(
      { method: 'POST', path: spacePath(spaceId, '/secrets'), json: { key, value }, retry: 'idempotent' },
      () => undefined,
      () => undefined,
      { key, value: '***' }
    )
  }

  async deleteSecret(spaceId: string, key: string): Promise<void> {
    await this.write(
      { method: 'DELETE', path: spacePath(spaceId, '/secrets'), json: { key }, retry: 'idempotent' },
      () => undefined,
      () => undefined
    )
  }

  async variables(spaceId: string): Promise<Map<string, Variable>> {
    this.lastVariables = parseVariables(
      await this.client.json({ method: 'GET', path: spacePath(spaceId, '/variables'), retry: 'idempotent' })
    )
    return this.lastVariables
  }

  /** The Hub answers with the whole map after the change. */
  async setVariable(spaceId: string, key: string, value: string): Promise<Map<string, Variable>> {
    return this.write(
      { method: 'POST', path: spacePath(spaceId, '/variables'), json: { key, value }, retry: 'idempotent' },
      parseVariables,
      () =>
        new Map(this.lastVariables).set(key, {
          value,
          description: this.lastVariables.get(key)?.description ?? null
        })
    )
  }

  async deleteVariable(spaceId: string, key: string): Promise<Map<string, Variable>> {
    return this.write(
      { method: 'DELETE', path: spacePath(spaceId, '/variables'), json: { key }, retry: 'idempotent' },
      parseVariables,
      () => {
        const map = new Map(this.lastVariables)
        map.delete(key)
        return map
      }
    )
  }

  /** Deprecated by the Hub in favour of Storage Buckets mounted as volumes; sent as asked, refusal reported. */
  async requestStorage(spaceId: string, tier: string): Promise<Runtime> {
    return this.runtimeWrite(
      { method: 'POST', path: spacePath(spaceId, '/storage'), json: { tier }, retry: 'idempotent' },
      r => ({ ...r, storage: tier })
    )
  }

  async deleteStorage(spaceId: string): Promise<Runtime> {
    return this.runtimeWrite(
      { method: 'DELETE', path: spacePath(spaceId, '/storage'), retry: 'idempotent' },
      r => ({
        ...r,
        storage: null
      })
    )
  }

  /** The mounted volumes, from the Space info: the runtime endpoint does not always list them (§6.7). */
  async volumes(spaceId: string): Promise<Volume[]> {
    return (await this.info(spaceId)).runtime?.volumes ?? []
  }

  /** Replaces the whole list (at least one volume: "none" is deleteVolumes). The answer is no runtime; it is ignored. */
  async setVolumes(spaceId: string, volumes: Volume[]): Promise<void> {
    await this.write(
      { method: 'PUT', path: spacePath(spaceId, '/volumes'), json: { volumes }, retry: 'idempotent' },
      () => undefined,
      () => undefined
    )
  }

  /** Answers 400 when there are none, so callers check first. */
  async deleteVolumes(spaceId: string): Promise<void> {
    await this.write(
      { method: 'DELETE', path: spacePath(spaceId, '/volumes'), retry: 'idempotent' },
      () => undefined,
      () => undefined
    )
  }

  /** The last `lines` lines of the build or run log. Never throws: logs are a diagnosis aid, not a result. */
  async logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]> {
    return readLogTail(this.client, spacePath(spaceId, `/logs/${kind}`), lines)
  }

  /** One connection to the build or run log, from its start, for following it while the Space builds. */
  followLog(spaceId: string, kind: LogKind, signal: AbortSignal): AsyncGenerator<string> {
    return followLog(this.client, spacePath(spaceId, `/logs/${kind}`), signal)
  }

  private async runtimeWrite(req: HubRequest, simulate: (last: Runtime) => Runtime): Promise<Runtime> {
    const runtime = await this.write(req, parseRuntime, () => simulate(this.last ?? EMPTY_RUNTIME))
    this.last = runtime
    return runtime
  }

  private async write<T>(
    req: HubRequest,
    parse: (body: unknown) => T,
    simulate: () => T,
    shown?: unknown,
    decode: 'json' | 'text' = 'json'
  ): Promise<T> {
    if (!this.dryRun) return parse(await this.client[decode](req))
    const query = req.query ? `?${new URLSearchParams(req.query).toString()}` : ''
    const body = shown ?? req.json
    this.dryRun.writes.push({
      method: req.method,
      path: req.path + query,
      ...(body !== undefined ? { body } : {})
    })
    return simulate()
  }
}

const EMPTY_RUNTIME: Runtime = {
  stage: 'NO_APP_FILE',
  hardware: null,
  requestedHardware: null,
  sleepTime: undefined,
  errorMessage: null,
  domains: [],
  sha: null,
  storage: null
}

/** `/api/spaces/{owner}/{name}{suffix}`: the Spaces API. */
export function spacePath(spaceId: string, suffix = ''): string {
  return `/api${repoPath(spaceId, suffix)}`
}

/** `/spaces/{owner}/{name}{suffix}`: the repo itself (Git LFS, raw files), outside `/api`. */
export function repoPath(spaceId: string, suffix = ''): string {
  const [owner, name] = splitId(spaceId)
  return `/spaces/${encodeURIComponent(owner)}/${encodeURIComponent(name)}${suffix}`
}

function splitId(spaceId: string): [string, string] {
  const [owner = '', name = ''] = spaceId.split('/')
  return [owner, name]
}

function spaceUrl(spaceId: string): string {
  return `https://huggingface.co/spaces/${spaceId}`
}

/** The creation body as a dry run shows it: secret values replaced by `***`. */
function redactSettings<T extends { secrets?: KeyValueInput[] }>(json: T): T {
  return json.secrets ? { ...json, secrets: json.secrets.map(s => ({ ...s, value: '***' })) } : json
}
