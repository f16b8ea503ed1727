/**
 * One typed function per Spaces endpoint the action calls. Paths and bodies follow docs/hub-api.md §5–§9. The
 * operations see only the `SpacesApi` interface: the steps give them the Hub's (`HubSpacesApi`) or, for a dry run,
 * the wrapper of src/hub/dry-run.ts, which records the writes and answers them itself.
 */
import { mayHaveApplied, type HubClient, type HubRequest } from './client.js'
import { ContentApi } from './content.js'
import { followLog, readLogTail } from './logs.js'
import {
  parseHardwareCatalogue,
  parseRepoUrl,
  parseRuntime,
  parseSecretKeys,
  parseSpaceList,
  parseSpaceInfo,
  parseVariables,
  type CommitResult,
  type HardwareFlavor,
  type Runtime,
  type SpaceInfo,
  type Variable,
  type Volume
} from './types.js'

export type LogKind = 'build' | 'run'

/** A write as a dry run records it instead of sending it, with secret values replaced by `***`. */
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

/** What an upload's commit needs: how to make it, and what a dry run records of it. */
export interface CommitRequest {
  spaceId: string
  createPr: boolean
  /** LFS objects to upload before the commit. */
  lfsObjects: number
  /** One line on what the commit holds, for a dry run's record. */
  description: string
  /** Uploads the LFS objects and sends the commit through the content endpoints (src/operations/upload/commit.ts). */
  send: (content: ContentApi) => Promise<CommitResult>
}

/** The commit made, or, from a dry run, only planned: nothing was sent, so there is no commit. */
export type CommitAnswer = ({ planned: false } & CommitResult) | { planned: true }

/** The Spaces API as the operations and the steps use it. A write answers with what the Hub reports after it. */
export interface SpacesApi {
  /** The client the reads go through; it also bounds the wait (its deadline) and paces it (its rate limit). */
  readonly client: HubClient
  runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime>
  info(spaceId: string): Promise<SpaceInfo>
  listSpaceIds(owner: string): Promise<string[]>
  hardwareCatalogue(): Promise<HardwareFlavor[]>
  /** `sleepSeconds` -1 means never sleep. */
  requestHardware(spaceId: string, flavor: string, sleepSeconds?: number): Promise<Runtime>
  setSleepTime(spaceId: string, seconds: number): Promise<Runtime>
  pause(spaceId: string): Promise<Runtime>
  restart(spaceId: string, factory?: boolean): Promise<Runtime>
  /** Answers the new Space's URL. */
  create(spaceId: string, sdk: string, settings: NewSpaceSettings): Promise<string>
  duplicate(fromId: string, toId: string, settings: NewSpaceSettings): Promise<string>
  delete(spaceId: string): Promise<void>
  secretKeys(spaceId: string): Promise<string[]>
  setSecret(spaceId: string, key: string, value: string): Promise<void>
  deleteSecret(spaceId: string, key: string): Promise<void>
  variables(spaceId: string): Promise<Map<string, Variable>>
  /** Answers the whole map after the change. */
  setVariable(spaceId: string, key: string, value: string): Promise<Map<string, Variable>>
  deleteVariable(spaceId: string, key: string): Promise<Map<string, Variable>>
  requestStorage(spaceId: string, tier: string): Promise<Runtime>
  deleteStorage(spaceId: string): Promise<Runtime>
  volumes(spaceId: string): Promise<Volume[]>
  setVolumes(spaceId: string, volumes: Volume[]): Promise<void>
  deleteVolumes(spaceId: string): Promise<void>
  logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]>
  followLog(spaceId: string, kind: LogKind, signal: AbortSignal): AsyncGenerator<string>
  /** An upload's commit (src/operations/upload/operation.ts). */
  commit(request: CommitRequest): Promise<CommitAnswer>
}

/** The Spaces API of the Hub itself: every call is sent. */
export class HubSpacesApi implements SpacesApi {
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
    const send = async (): Promise<Runtime> =>
      parseRuntime(await this.client.json(WRITES.requestHardware(spaceId, flavor, sleepSeconds)))
    try {
      return await send()
    } catch (error) {
      if (!mayHaveApplied(error)) throw error
      const now = await this.runtime(spaceId)
      return now.requestedHardware === flavor ? now : send()
    }
  }

  async setSleepTime(spaceId: string, seconds: number): Promise<Runtime> {
    return parseRuntime(await this.client.json(WRITES.setSleepTime(spaceId, seconds)))
  }

  async pause(spaceId: string): Promise<Runtime> {
    return parseRuntime(await this.client.json(WRITES.pause(spaceId)))
  }

  async restart(spaceId: string, factory = false): Promise<Runtime> {
    return parseRuntime(await this.client.json(WRITES.restart(spaceId, factory)))
  }

  async create(spaceId: string, sdk: string, settings: NewSpaceSettings): Promise<string> {
    return parseRepoUrl(await this.client.json(WRITES.create(spaceId, sdk, settings)))
  }

  async duplicate(fromId: string, toId: string, settings: NewSpaceSettings): Promise<string> {
    return parseRepoUrl(await this.client.json(WRITES.duplicate(fromId, toId, settings)))
  }

  async delete(spaceId: string): Promise<void> {
    await this.client.text(WRITES.delete(spaceId))
  }

  /** Keys only: values never come back. (No recording shows this endpoint; SPEC and the Python client do.) */
  async secretKeys(spaceId: string): Promise<string[]> {
    return parseSecretKeys(
      await this.client.json({ method: 'GET', path: spacePath(spaceId, '/secrets'), retry: 'idempotent' })
    )
  }

  async setSecret(spaceId: string, key: string, value: string): Promise<void> {
    await this.client.json(WRITES.setSecret(spaceId, key, value))
  }

  async deleteSecret(spaceId: string, key: string): Promise<void> {
    await this.client.json(WRITES.deleteSecret(spaceId, key))
  }

  async variables(spaceId: string): Promise<Map<string, Variable>> {
    return parseVariables(
      await this.client.json({ method: 'GET', path: spacePath(spaceId, '/variables'), retry: 'idempotent' })
    )
  }

  async setVariable(spaceId: string, key: string, value: string): Promise<Map<string, Variable>> {
    return parseVariables(await this.client.json(WRITES.setVariable(spaceId, key, value)))
  }

  async deleteVariable(spaceId: string, key: string): Promise<Map<string, Variable>> {
    return parseVariables(await this.client.json(WRITES.deleteVariable(spaceId, key)))
  }

  async requestStorage(spaceId: string, tier: string): Promise<Runtime> {
    return parseRuntime(await this.client.json(WRITES.requestStorage(spaceId, tier)))
  }

  async deleteStorage(spaceId: string): Promise<Runtime> {
    return parseRuntime(await this.client.json(WRITES.deleteStorage(spaceId)))
  }

  /** The mounted volumes, from the Space info: the runtime endpoint does not always list them (§6.7). */
  async volumes(spaceId: string): Promise<Volume[]> {
    return (await this.info(spaceId)).runtime?.volumes ?? []
  }

  /** The answer is no runtime; it is ignored. */
  async setVolumes(spaceId: string, volumes: Volume[]): Promise<void> {
    await this.client.json(WRITES.setVolumes(spaceId, volumes))
  }

  async deleteVolumes(spaceId: string): Promise<void> {
    await this.client.json(WRITES.deleteVolumes(spaceId))
  }

  /** The last `lines` lines of the build or run log. Never throws: logs are a diagnosis aid, not a result. */
  async logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]> {
    return readLogTail(this.client, spacePath(spaceId, `/logs/${kind}`), lines)
  }

  /** One connection to the build or run log, from its start, for following it while the Space builds. */
  followLog(spaceId: string, kind: LogKind, signal: AbortSignal): AsyncGenerator<string> {
    return followLog(this.client, spacePath(spaceId, `/logs/${kind}`), signal)
  }

  async commit(request: CommitRequest): Promise<CommitAnswer> {
    return { planned: false, ...(await request.send(new ContentApi(this.client))) }
  }
}

/**
 * Every write, as the request the Hub gets: built here once, sent by HubSpacesApi, recorded by the dry run
 * (src/hub/dry-run.ts). `retry` says whether a repeat is harmless.
 */
export const WRITES = {
  /** `unsent`: a repeat would restart the Space again; HubSpacesApi reads it back instead. -1 means never sleep. */
  requestHardware: (spaceId: string, flavor: string, sleepSeconds?: number): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/hardware'),
    json: sleepSeconds === undefined ? { flavor } : { flavor, sleepTimeSeconds: sleepSeconds },
    retry: 'unsent'
  }),
  setSleepTime: (spaceId: string, seconds: number): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/sleeptime'),
    json: { seconds },
    retry: 'idempotent'
  }),
  /** Pausing a paused Space changes nothing, so a repeat is harmless. */
  pause: (spaceId: string): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/pause'),
    retry: 'idempotent'
  }),
  /**
   * Not retried once it may have reached the Hub: a second restart would throw away the build the first one started.
   * (The wake-up of a sleeping Space goes through here too.)
   */
  restart: (spaceId: string, factory: boolean): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/restart'),
    ...(factory ? { query: { factory: 'true' } } : {}),
    retry: 'unsent'
  }),
  /** Not retried after it may have arrived: a repeat answers 409, which would hide whether this call created it. */
  create: (spaceId: string, sdk: string, settings: NewSpaceSettings): HubRequest => {
    const [organization, name] = splitId(spaceId)
    return {
      method: 'POST',
      path: '/api/repos/create',
      json: { name, organization, type: 'space', sdk, ...settings },
      retry: 'unsent'
    }
  },
  duplicate: (fromId: string, toId: string, settings: NewSpaceSettings): HubRequest => ({
    method: 'POST',
    path: spacePath(fromId, '/duplicate'),
    json: { repository: toId, ...settings },
    retry: 'unsent'
  }),
  /** Deleting twice answers 404, which the caller reads as "already gone", so a repeat is harmless. */
  delete: (spaceId: string): HubRequest => {
    const [organization, name] = splitId(spaceId)
    return {
      method: 'DELETE',
      path: '/api/repos/delete',
      json: { name, organization, type: 'space' },
      // It answers `OK`, not JSON: sent with the client's text().
      retry: 'idempotent'
    }
  },
  /** Setting a key to a value is idempotent. */
  setSecret: (spaceId: string, key: string, value: string): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/secrets'),
    json: { key, value },
    retry: 'idempotent'
  }),
  deleteSecret: (spaceId: string, key: string): HubRequest => ({
    method: 'DELETE',
    path: spacePath(spaceId, '/secrets'),
    json: { key },
    retry: 'idempotent'
  }),
  /** The Hub answers with the whole map after the change. */
  setVariable: (spaceId: string, key: string, value: string): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/variables'),
    json: { key, value },
    retry: 'idempotent'
  }),
  deleteVariable: (spaceId: string, key: string): HubRequest => ({
    method: 'DELETE',
    path: spacePath(spaceId, '/variables'),
    json: { key },
    retry: 'idempotent'
  }),
  /** Deprecated by the Hub in favour of Storage Buckets mounted as volumes; sent as asked, refusal reported. */
  requestStorage: (spaceId: string, tier: string): HubRequest => ({
    method: 'POST',
    path: spacePath(spaceId, '/storage'),
    json: { tier },
    retry: 'idempotent'
  }),
  deleteStorage: (spaceId: string): HubRequest => ({
    method: 'DELETE',
    path: spacePath(spaceId, '/storage'),
    retry: 'idempotent'
  }),
  /** Replaces the whole list (at least one volume: "none" is deleteVolumes). */
  setVolumes: (spaceId: string, volumes: Volume[]): HubRequest => ({
    method: 'PUT',
    path: spacePath(spaceId, '/volumes'),
    json: { volumes },
    retry: 'idempotent'
  }),
  /** Answers 400 when there are none, so callers check first. */
  deleteVolumes: (spaceId: string): HubRequest => ({
    method: 'DELETE',
    path: spacePath(spaceId, '/volumes'),
    retry: 'idempotent'
  })
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
