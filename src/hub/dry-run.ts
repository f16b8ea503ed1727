/**
 * The dry run: the Spaces API around the Hub's, with the same interface. Reads go to the Hub as usual; each write is
 * recorded (secret values as `***`, never the value) instead of sent, and answered with what the Hub would answer,
 * simulated from the Space as last read, so the operations run unchanged and make no write.
 */
import { FREE_FLAVOR } from '../plan/names.js'
import type { HubClient, HubRequest } from './client.js'
import {
  spacePath,
  WRITES,
  type CommitAnswer,
  type CommitRequest,
  type LogKind,
  type NewSpaceSettings,
  type PlannedWrite,
  type SpacesApi
} from './spaces.js'
import {
  sleepTimeAsRead,
  type HardwareFlavor,
  type Runtime,
  type SpaceInfo,
  type Variable,
  type Volume
} from './types.js'

/** What a record shows of a secret's value. */
const SHOWN_SECRET = '***'

/** The base of a simulated answer for a Space never read (none is: the steps read each Space first). */
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

export class DryRunSpacesApi implements SpacesApi {
  /** The writes, in the order they would have been sent. */
  readonly writes: PlannedWrite[] = []
  /** Each Space as last read, or as a recorded write leaves it (`written`): the Hub never saw that write. */
  private readonly runtimes = new Map<string, { runtime: Runtime; written: boolean }>()
  private readonly variableMaps = new Map<string, Map<string, Variable>>()

  constructor(private readonly hub: SpacesApi) {}

  get client(): HubClient {
    return this.hub.client
  }

  /** After a recorded write, the Space as that write would leave it; otherwise the Hub's answer. */
  async runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime> {
    const known = this.runtimes.get(spaceId)
    if (known?.written) return known.runtime
    const runtime = await this.hub.runtime(spaceId, signal)
    this.runtimes.set(spaceId, { runtime, written: false })
    return runtime
  }

  info(spaceId: string): Promise<SpaceInfo> {
    return this.hub.info(spaceId)
  }

  listSpaceIds(owner: string): Promise<string[]> {
    return this.hub.listSpaceIds(owner)
  }

  hardwareCatalogue(): Promise<HardwareFlavor[]> {
    return this.hub.hardwareCatalogue()
  }

  requestHardware(spaceId: string, flavor: string, sleepSeconds?: number): Promise<Runtime> {
    this.record(WRITES.requestHardware(spaceId, flavor, sleepSeconds))
    return this.simulate(spaceId, r => ({
      ...r,
      requestedHardware: flavor,
      ...(sleepSeconds !== undefined ? { sleepTime: sleepTimeAsRead(sleepSeconds) } : {})
    }))
  }

  setSleepTime(spaceId: string, seconds: number): Promise<Runtime> {
    this.record(WRITES.setSleepTime(spaceId, seconds))
    return this.simulate(spaceId, r => ({ ...r, sleepTime: sleepTimeAsRead(seconds) }))
  }

  pause(spaceId: string): Promise<Runtime> {
    this.record(WRITES.pause(spaceId))
    return this.simulate(spaceId, r => ({ ...r, stage: 'PAUSED', hardware: null }))
  }

  restart(spaceId: string, factory = false): Promise<Runtime> {
    this.record(WRITES.restart(spaceId, factory))
    return this.simulate(spaceId, r => ({ ...r, stage: 'BUILDING', hardware: null }))
  }

  create(spaceId: string, sdk: string, settings: NewSpaceSettings): Promise<string> {
    this.record(WRITES.create(spaceId, sdk, withSecretsShown(settings)))
    this.runtimes.set(spaceId, { runtime: newRuntime(sdk, settings), written: true })
    return Promise.resolve(simulatedRepoUrl(spaceId))
  }

  /** The copy's SDK is the source's, unknown without a read: it is simulated as one that builds. */
  duplicate(fromId: string, toId: string, settings: NewSpaceSettings): Promise<string> {
    this.record(WRITES.duplicate(fromId, toId, withSecretsShown(settings)))
    this.runtimes.set(toId, { runtime: newRuntime(undefined, settings), written: true })
    return Promise.resolve(simulatedRepoUrl(toId))
  }

  delete(spaceId: string): Promise<void> {
    this.record(WRITES.delete(spaceId))
    return Promise.resolve()
  }

  secretKeys(spaceId: string): Promise<string[]> {
    return this.hub.secretKeys(spaceId)
  }

  /** The value is not even kept: the record shows `***`. */
  setSecret(spaceId: string, key: string, _value: string): Promise<void> {
    this.record(WRITES.setSecret(spaceId, key, SHOWN_SECRET))
    return Promise.resolve()
  }

  deleteSecret(spaceId: string, key: string): Promise<void> {
    this.record(WRITES.deleteSecret(spaceId, key))
    return Promise.resolve()
  }

  async variables(spaceId: string): Promise<Map<string, Variable>> {
    const variables = await this.hub.variables(spaceId)
    this.variableMaps.set(spaceId, variables)
    return variables
  }

  setVariable(spaceId: string, key: string, value: string): Promise<Map<string, Variable>> {
    this.record(WRITES.setVariable(spaceId, key, value))
    return this.simulateVariables(spaceId, map =>
      map.set(key, { value, description: map.get(key)?.description ?? null })
    )
  }

  deleteVariable(spaceId: string, key: string): Promise<Map<string, Variable>> {
    this.record(WRITES.deleteVariable(spaceId, key))
    return this.simulateVariables(spaceId, map => map.delete(key))
  }

  requestStorage(spaceId: string, tier: string): Promise<Runtime> {
    this.record(WRITES.requestStorage(spaceId, tier))
    return this.simulate(spaceId, r => ({ ...r, storage: tier }))
  }

  deleteStorage(spaceId: string): Promise<Runtime> {
    this.record(WRITES.deleteStorage(spaceId))
    return this.simulate(spaceId, r => ({ ...r, storage: null }))
  }

  volumes(spaceId: string): Promise<Volume[]> {
    return this.hub.volumes(spaceId)
  }

  setVolumes(spaceId: string, volumes: Volume[]): Promise<void> {
    this.record(WRITES.setVolumes(spaceId, volumes))
    return Promise.resolve()
  }

  deleteVolumes(spaceId: string): Promise<void> {
    this.record(WRITES.deleteVolumes(spaceId))
    return Promise.resolve()
  }

  logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]> {
    return this.hub.logTail(spaceId, kind, lines)
  }

  followLog(spaceId: string, kind: LogKind, signal: AbortSignal): AsyncGenerator<string> {
    return this.hub.followLog(spaceId, kind, signal)
  }

  /** Recorded as the LFS uploads and the commit, described rather than streamed: the files are not read again. */
  commit(request: CommitRequest): Promise<CommitAnswer> {
    if (request.lfsObjects)
      this.writes.push({ method: 'PUT', path: `${request.lfsObjects} LFS object(s) to the Hub's storage` })
    this.writes.push({
      method: 'POST',
      path: `${spacePath(request.spaceId, '/commit/main')}${request.createPr ? '?create_pr=1' : ''}`,
      body: request.description
    })
    return Promise.resolve({ planned: true })
  }

  private record(request: HubRequest): void {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : ''
    this.writes.push({
      method: request.method,
      path: request.path + query,
      ...(request.json !== undefined ? { body: request.json } : {})
    })
  }

  private simulate(spaceId: string, change: (last: Runtime) => Runtime): Promise<Runtime> {
    const runtime = change(this.runtimes.get(spaceId)?.runtime ?? EMPTY_RUNTIME)
    this.runtimes.set(spaceId, { runtime, written: true })
    return Promise.resolve(runtime)
  }

  private simulateVariables(
    spaceId: string,
    change: (map: Map<string, Variable>) => void
  ): Promise<Map<string, Variable>> {
    const map = new Map(this.variableMaps.get(spaceId))
    change(map)
    this.variableMaps.set(spaceId, map)
    return Promise.resolve(new Map(map))
  }
}

/** The runtime of a Space just created: a static one serves at once, the others build on the requested flavor. */
function newRuntime(sdk: string | undefined, settings: NewSpaceSettings): Runtime {
  return {
    stage: sdk === 'static' ? 'RUNNING' : 'BUILDING',
    hardware: null,
    requestedHardware: sdk === 'static' ? null : (settings.hardware ?? FREE_FLAVOR),
    sleepTime: undefined,
    errorMessage: null,
    domains: [],
    sha: null,
    storage: settings.storageTier ?? null
  }
}

function simulatedRepoUrl(spaceId: string): string {
  return `https://huggingface.co/spaces/${spaceId}`
}

/** The settings as the record shows them: secret values replaced before the request is even built. */
function withSecretsShown(settings: NewSpaceSettings): NewSpaceSettings {
  return settings.secrets
    ? { ...settings, secrets: settings.secrets.map(s => ({ ...s, value: SHOWN_SECRET })) }
    : settings
}
