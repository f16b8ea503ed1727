/**
 * The Space state machine.
 *
 * Nothing here runs on a timer. Every operation that starts a transition stores a plan: a start time, a list of
 * timed phases and the state the Space settles in. `observe(now)` walks that plan, so the stage a caller sees is a
 * pure function of the clock, and a fake clock drives a Space through every stage without sleeping.
 */
import { FREE_FLAVOR, FREE_SLEEP_SECONDS } from './catalogue.js'
import {
  defaultFiles,
  GitRepo,
  isValidPath,
  needsLfs,
  sha256Hex,
  type Commit,
  type StoredFile
} from './git.js'
import type {
  AppSpec,
  BuildOutcome,
  ConfigItem,
  SpaceSpec,
  Stage,
  Timings,
  TrustedPublisher,
  Visibility,
  Volume
} from './types.js'

export const DEFAULT_TIMINGS: Timings = { staleMs: 300, buildMs: 1000, startMs: 500 }
const SHA_PATTERN = /^[0-9a-f]{40}$/
const ID_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]{1,96}$/
/** Keys of secrets and variables (SPEC). */
export const CONFIG_KEY_PATTERN = /^[a-zA-Z][_a-zA-Z0-9]*$/

/** A stored secret or variable. */
export interface ConfigEntry {
  value: string
  description?: string
  /** clock ms of the last upsert. */
  updatedAt: number
}

export type ConfigKind = 'secrets' | 'variables'

/** What the runtime endpoint reports at one instant. */
export interface Observed {
  stage: Stage
  current: string | null
  /** Set only in error stages. */
  errorMessage: string | null
}

/** Stages in which the old container still serves traffic while a new one is prepared. */
const SERVING_STAGES: ReadonlySet<Stage> = new Set(['RUNNING', 'RUNNING_BUILDING', 'RUNNING_APP_STARTING'])
/** Stages in which the Space runs or is on its way to running: a repeated request for the same flavor is a no-op. */
const LIVE_STAGES: ReadonlySet<Stage> = new Set([...SERVING_STAGES, 'BUILDING', 'APP_STARTING'])
export const ERROR_STAGES: ReadonlySet<Stage> = new Set([
  'BUILD_ERROR',
  'RUNTIME_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE'
])

const DEFAULT_ERROR_MESSAGES: Partial<Record<Stage, string>> = {
  BUILD_ERROR: 'Build failed with exit code: 1',
  RUNTIME_ERROR: 'Exit code: 1. Reason: the application crashed during startup',
  CONFIG_ERROR: 'Invalid YAML metadata in README.md',
  NO_APP_FILE: 'No application file found'
}

/** `restart` is the APP_STARTING phase of a restart caused by a configuration change. */
type PhaseKind = 'stale' | 'build' | 'start' | 'restart'

interface Phase {
  kind: PhaseKind
  stage: Stage
  current: string | null
  durationMs: number
}

interface Plan {
  startedAt: number
  phases: Phase[]
  end: Observed
  /** The commit this plan deploys when it settles RUNNING (the head of main when a build started). */
  deploys?: string
}

/** The last build, for the default build log. */
interface BuildRecord {
  sha: string
  startedAt: number
  /** The errorMessage of a BUILD_ERROR outcome. */
  error?: string
  /** Lines from `nextBuild.buildLog`. */
  log?: string[]
}

/** Default subdomain: lowercase id, each run of characters outside [a-z0-9] replaced by one '-'. */
export function defaultSubdomain(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

export function isValidSpaceId(id: string): boolean {
  return ID_PATTERN.test(id) && !id.includes('--') && !id.includes('..') && !id.endsWith('.git')
}

/**
 * The Hub's repo-name rule (PY `validate_repo_id`): 1-96 of [A-Za-z0-9_.-], not starting or ending with `-` or
 * `.`, no `--` or `..`, not ending in `.git`.
 */
export function isValidRepoName(name: string): boolean {
  return (
    /^[A-Za-z0-9_.-]{1,96}$/.test(name) &&
    !/^[-.]|[-.]$/.test(name) &&
    !name.includes('--') &&
    !name.includes('..') &&
    !name.endsWith('.git')
  )
}

/** A sleep time in seconds as the API takes it: an integer > 0, or -1 for never. */
export function isSleepTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && (value === -1 || value > 0)
}

/** The sleep time a flavor gets when nobody asks for one: 48 h on cpu-basic, never on upgraded hardware. */
export function defaultSleepTime(flavor: string | null): number | null {
  return flavor === FREE_FLAVOR ? FREE_SLEEP_SECONDS : null
}

function settled(stage: Stage, current: string | null, errorMessage: string | null = null): Observed {
  return { stage, current, errorMessage: ERROR_STAGES.has(stage) ? (errorMessage ?? '') : null }
}

/**
 * Drops the phases that a failing outcome never reaches: CONFIG_ERROR and NO_APP_FILE fail before building,
 * BUILD_ERROR right after the build phase, RUNTIME_ERROR after the start phase.
 */
function phasesReached(phases: Phase[], outcome: BuildOutcome): Phase[] {
  switch (outcome.outcome) {
    case 'ok':
    case 'RUNTIME_ERROR':
      return phases
    case 'CONFIG_ERROR':
    case 'NO_APP_FILE':
      return phases.filter(p => p.kind === 'stale')
    case 'BUILD_ERROR': {
      const lastBuild = phases.map(p => p.kind).lastIndexOf('build')
      return lastBuild >= 0 ? phases.slice(0, lastBuild + 1) : phases.filter(p => p.kind === 'stale')
    }
  }
}

export class Space {
  readonly id: string
  readonly namespace: string
  readonly name: string
  readonly createdAt: number
  sdk: 'gradio' | 'docker' | 'static'
  private: boolean
  visibility: Visibility
  subdomain: string
  /** The content: files, commits, refs and the LFS store. */
  repo: GitRepo
  /** clock ms of the last commit to main (or of the last `sha` override). */
  lastModified: number
  /** Lines of logs/build; undefined = the default log. */
  buildLog: string[] | undefined
  /** Lines of logs/run; undefined = the default log. */
  runLog: string[] | undefined
  timings: Timings
  /** hardware.requested; null for static Spaces. */
  requested: string | null
  /** gcTimeout in seconds, null = never sleeps. Not reported for static Spaces. */
  gcTimeout: number | null
  /** The info `_id`; undefined = derived from the id. Spaces created through the API get a random one. */
  repoObjectId: string | undefined
  /** The app to probe (SpaceSpec.app), and the port its server listens on once started. */
  app: AppSpec | undefined = undefined
  appPort: number | undefined = undefined
  readonly secrets = new Map<string, ConfigEntry>()
  readonly variables = new Map<string, ConfigEntry>()
  volumes: Volume[] = []
  /** SpaceSpec.hiddenSources. */
  hiddenSources = new Set<string>()
  trustedPublishers: TrustedPublisher[] = []
  /** POST /restart calls, plus configuration changes that restarted the Space. */
  restarts = 0
  /** Whether the runtime carries `sha`, the serving commit (unconfirmed on the Hub; no recording has it). */
  runtimeSha = false
  /** False: a commit to main starts no build (the Hub sometimes does this, docs/hub-api.md §10.7). */
  buildOnCommit = true
  private nextBuild: BuildOutcome = { outcome: 'ok' }
  private errorMessage: string | undefined
  private plan: Plan
  /** The commit deployed when the current plan started. */
  private deployedBase: string
  /** When the Space last became RUNNING, as of the start of the current plan. */
  private runningSinceBase: number | undefined
  private lastBuildRecord: BuildRecord | undefined

  constructor(spec: SpaceSpec, now: number) {
    if (!isValidSpaceId(spec.id)) throw new Error(`Invalid Space id "${spec.id}": expected "owner/name"`)
    const [namespace, name] = spec.id.split('/') as [string, string]
    this.id = spec.id
    this.namespace = namespace
    this.name = name
    this.createdAt = now
    this.lastModified = now
    this.sdk = spec.sdk ?? 'gradio'
    this.private = false
    this.visibility = 'public'
    this.repoObjectId = undefined
    this.subdomain = spec.subdomain ?? defaultSubdomain(spec.id)
    const lfs = new Map<string, Buffer>()
    this.repo = new GitRepo({
      files: seedTree(spec.files ?? defaultFiles(name, this.sdk), lfs),
      time: now,
      author: namespace,
      ...(spec.sha === undefined ? {} : { sha: spec.sha })
    })
    for (const [oid, content] of lfs) this.repo.lfs.set(oid, content)
    this.deployedBase = this.repo.head().sha
    this.runningSinceBase = undefined
    this.buildLog = undefined
    this.runLog = undefined
    this.timings = { ...DEFAULT_TIMINGS }
    this.requested = this.sdk === 'static' ? null : (spec.hardware ?? FREE_FLAVOR)
    this.gcTimeout = defaultSleepTime(this.requested)
    this.plan = { startedAt: now, phases: [], end: settled('RUNNING', this.requested) }
    // `sha` and `files` made the initial commit above.
    const rest: Partial<SpaceSpec> = { ...spec, stage: spec.stage ?? 'RUNNING' }
    delete rest.sha
    delete rest.files
    this.update(rest, now)
  }

  /** The commit the serving build was built from (the runtime `sha` when served); the info `sha` is the head. */
  servingSha(now: number): string {
    const { deploys, end } = this.plan
    if (deploys !== undefined && end.stage === 'RUNNING' && this.settledAt(now)) return deploys
    return this.deployedBase
  }

  /**
   * clock ms at which the Space became RUNNING, or undefined when it is not RUNNING at `now`. A transition that
   * keeps reporting RUNNING (the stale phase of a hardware change) keeps the earlier time.
   */
  runningSince(now: number): number | undefined {
    if (this.observe(now).stage !== 'RUNNING') return undefined
    if (!this.settledAt(now)) return this.runningSinceBase ?? this.plan.startedAt
    return this.plan.startedAt + this.plan.phases.reduce((sum, p) => sum + p.durationMs, 0)
  }

  /** The last build (its commit, when it started, its failure), for the default build log. */
  get lastBuild(): BuildRecord | undefined {
    return this.lastBuildRecord
  }

  private settledAt(now: number): boolean {
    return now >= this.plan.startedAt + this.plan.phases.reduce((sum, p) => sum + p.durationMs, 0)
  }

  /** Replaces the plan, first freezing what the old one deployed and since when the Space runs. */
  private setPlan(plan: Plan, now: number): void {
    this.deployedBase = this.servingSha(now)
    this.runningSinceBase = this.runningSince(now)
    this.plan = plan
  }

  /**
   * A commit landed on main: rebuild like a restart (BUILDING; or, while the old container serves, unchanged for
   * `staleMs`, then RUNNING_BUILDING; then APP_STARTING / RUNNING_APP_STARTING; then RUNNING), honouring `nextBuild`. The serving
   * commit moves to the commit only when that build settles RUNNING (the info `sha`, the head, moves at once).
   * Static Spaces serve the new commit at once; a PAUSED Space stays paused and builds the commit when it is next
   * started; with `buildOnCommit: false` nothing starts, and the old build keeps serving.
   */
  commitLanded(commit: Commit, now: number): void {
    this.lastModified = now
    const seen = this.observe(now)
    if (this.isStatic) {
      this.setPlan({ startedAt: now, phases: [], end: settled('RUNNING', null), deploys: commit.sha }, now)
      return
    }
    if (seen.stage === 'PAUSED' || !this.buildOnCommit) return
    // As after a hardware request, the old build keeps answering RUNNING for a moment before the rebuild shows.
    this.rebuild(seen, now)
  }

  /**
   * A rebuild: a Space that serves traffic keeps serving on its old container (unchanged for `staleMs`, then
   * RUNNING_BUILDING, RUNNING_APP_STARTING); any other Space builds cold.
   */
  private rebuild(seen: Observed, now: number): void {
    if (SERVING_STAGES.has(seen.stage) && seen.current !== null) {
      const { staleMs, buildMs, startMs } = this.timings
      this.startTransition(now, [
        { kind: 'stale', stage: seen.stage, current: seen.current, durationMs: staleMs },
        { kind: 'build', stage: 'RUNNING_BUILDING', current: seen.current, durationMs: buildMs },
        { kind: 'start', stage: 'RUNNING_APP_STARTING', current: seen.current, durationMs: startMs }
      ])
    } else {
      this.startTransition(now, this.coldPhases())
    }
  }

  get isStatic(): boolean {
    return this.sdk === 'static'
  }

  /** The stage and current hardware at `now`. */
  observe(now: number): Observed {
    let phaseEnd = this.plan.startedAt
    for (const phase of this.plan.phases) {
      phaseEnd += phase.durationMs
      if (now < phaseEnd) return { stage: phase.stage, current: phase.current, errorMessage: null }
    }
    return this.plan.end
  }

  /**
   * POST /hardware. `requested` changes at once. A Space that serves traffic keeps serving on its old flavor
   * (first unchanged for `staleMs`, then RUNNING_BUILDING, RUNNING_APP_STARTING); any other Space builds cold.
   * Asking again for the flavor a live Space already runs or converges to changes nothing but the sleep time.
   */
  requestHardware(flavor: string, sleepTimeSeconds: number | undefined, now: number): void {
    const seen = this.observe(now)
    const alreadyThere = this.requested === flavor && LIVE_STAGES.has(seen.stage)
    if (flavor === FREE_FLAVOR) this.gcTimeout = FREE_SLEEP_SECONDS
    else if (sleepTimeSeconds !== undefined)
      this.gcTimeout = sleepTimeSeconds === -1 ? null : sleepTimeSeconds
    else if (this.requested === FREE_FLAVOR) this.gcTimeout = null
    this.requested = flavor
    if (alreadyThere) return
    this.rebuild(seen, now)
  }

  /** POST /sleeptime. cpu-basic always sleeps after 48 h: the call is accepted and ignored there. */
  setSleepTime(seconds: number): void {
    if (this.requested === FREE_FLAVOR) return
    this.gcTimeout = seconds === -1 ? null : seconds
  }

  /** POST /pause: PAUSED at once with no current hardware; pausing a paused Space changes nothing. */
  pause(now: number): void {
    if (this.observe(now).stage === 'PAUSED') return
    this.setPlan({ startedAt: now, phases: [], end: settled('PAUSED', null) }, now)
  }

  /** POST /restart: BUILDING at once, then APP_STARTING, then RUNNING on the requested flavor. */
  restart(now: number): void {
    this.restarts += 1
    this.startTransition(now, this.coldPhases())
  }

  /**
   * Upserts a secret or variable. A new key or a new value restarts a running Space; the description alone does
   * not. Without `description` an existing description is kept. `restart: false` seeds without restarting.
   */
  upsertConfig(kind: ConfigKind, item: ConfigItem, now: number, options: { restart?: boolean } = {}): void {
    const map = this[kind]
    const previous = map.get(item.key)
    const entry: ConfigEntry = { value: item.value, updatedAt: now }
    const description = item.description ?? previous?.description
    if (description !== undefined) entry.description = description
    map.set(item.key, entry) // an existing key keeps its place, as in REC
    if (previous?.value !== item.value && options.restart !== false) this.configChanged(now)
  }

  /** Deletes a secret or variable; deleting an existing key restarts a running Space, an unknown key is a no-op. */
  deleteConfig(kind: ConfigKind, key: string, now: number): void {
    if (this[kind].delete(key)) this.configChanged(now)
  }

  /** PUT /volumes (replaces the list) and DELETE /volumes (an empty list); both restart a running Space. */
  setVolumes(volumes: Volume[], now: number): void {
    this.volumes = volumes.map(v => ({ ...v }))
    this.configChanged(now)
  }

  /**
   * A configuration change restarts a Space that is RUNNING (settled, not in a transition) or already restarting
   * for an earlier change: APP_STARTING for `startMs` with `current` kept, then RUNNING. A Space in any other
   * stage (building, paused, sleeping, failed) picks the change up when it next starts. Static Spaces never restart.
   * A pending `nextBuild` of RUNTIME_ERROR fails the restart; other outcomes wait for the next build.
   */
  private configChanged(now: number): void {
    if (this.isStatic) return
    const phase = this.currentPhase(now)
    const seen = this.observe(now)
    const settledRunning = phase === undefined && seen.stage === 'RUNNING'
    if (!settledRunning && phase?.kind !== 'restart') return
    this.restarts += 1
    let end = settled('RUNNING', this.requested)
    if (this.nextBuild.outcome === 'RUNTIME_ERROR') {
      end = settled('RUNTIME_ERROR', null, this.nextBuild.errorMessage)
      this.nextBuild = { outcome: 'ok' }
    }
    const restart: Phase = {
      kind: 'restart',
      stage: 'APP_STARTING',
      current: seen.current,
      durationMs: this.timings.startMs
    }
    this.setPlan({ startedAt: now, phases: [restart], end }, now)
  }

  /** The phase of the plan in progress at `now`, undefined once the plan has settled. */
  private currentPhase(now: number): Phase | undefined {
    let phaseEnd = this.plan.startedAt
    for (const phase of this.plan.phases) {
      phaseEnd += phase.durationMs
      if (now < phaseEnd) return phase
    }
    return undefined
  }

  /** Applies a partial spec (the emulator's `updateSpace` and the control endpoint). */
  update(patch: Partial<SpaceSpec>, now: number): void {
    if (patch.id !== undefined && patch.id !== this.id) throw new Error('The id of a Space cannot change')
    if (patch.files !== undefined) {
      throw new Error(
        'Invalid Space spec: files can only seed a new Space; commit through the API to change them'
      )
    }
    if (patch.app !== undefined) this.app = structuredClone(patch.app)
    if (patch.sdk !== undefined && patch.sdk !== this.sdk) {
      this.sdk = patch.sdk
      this.requested = this.isStatic ? null : (this.requested ?? FREE_FLAVOR)
      this.gcTimeout = defaultSleepTime(this.requested)
    }
    if (patch.visibility !== undefined) this.setVisibility(patch.visibility)
    else if (patch.private !== undefined) this.setVisibility(patch.private ? 'private' : 'public')
    if (patch.trustedPublishers !== undefined) {
      this.trustedPublishers = patch.trustedPublishers.map(p => ({ ...p }))
    }
    for (const item of patch.secrets ?? []) this.upsertConfig('secrets', item, now, { restart: false })
    for (const item of patch.variables ?? []) this.upsertConfig('variables', item, now, { restart: false })
    if (patch.volumes !== undefined) this.volumes = patch.volumes.map(v => ({ ...v }))
    if (patch.hiddenSources !== undefined) this.hiddenSources = new Set(patch.hiddenSources)
    if (patch.subdomain !== undefined) this.subdomain = patch.subdomain
    if (patch.buildLog !== undefined) this.buildLog = [...patch.buildLog]
    if (patch.runLog !== undefined) this.runLog = [...patch.runLog]
    if (patch.timings !== undefined) this.timings = { ...this.timings, ...patch.timings }
    if (patch.nextBuild !== undefined) this.nextBuild = patch.nextBuild
    if (patch.errorMessage !== undefined) this.errorMessage = patch.errorMessage
    if (patch.runtimeSha !== undefined) this.runtimeSha = patch.runtimeSha
    if (patch.buildOnCommit !== undefined) this.buildOnCommit = patch.buildOnCommit
    if (patch.hardware !== undefined && !this.isStatic) this.replaceHardware(patch.hardware)
    if (patch.sleepTime !== undefined && !this.isStatic) this.gcTimeout = patch.sleepTime
    if (patch.stage !== undefined) this.enterStage(patch.stage, now)
    if (patch.sha !== undefined) {
      // A test knob, not a Hub operation: the serving commit becomes `sha` at once (after any `stage`, which would
      // deploy the head). The head, and so the info sha, is untouched.
      if (!SHA_PATTERN.test(patch.sha))
        throw new Error(`Invalid sha "${patch.sha}": expected 40 lowercase hex`)
      this.deployedBase = patch.sha
      delete this.plan.deploys
    }
  }

  setVisibility(visibility: Visibility): void {
    this.visibility = visibility
    this.private = visibility !== 'public'
  }

  /** Sets current+requested without a transition (seeding, not a Hub operation). */
  private replaceHardware(flavor: string): void {
    this.requested = flavor
    this.gcTimeout = defaultSleepTime(flavor)
    const { end } = this.plan
    if (end.stage === 'RUNNING') this.plan.end = settled('RUNNING', flavor)
    this.plan.phases = this.plan.phases.map(p => (p.current === null ? p : { ...p, current: flavor }))
  }

  /** Puts the Space in `stage` as of `now`; a transitional stage starts the rest of its transition. */
  private enterStage(stage: Stage, now: number): void {
    const { buildMs, startMs } = this.timings
    const serving = this.requested
    switch (stage) {
      case 'BUILDING':
        return this.startTransition(now, this.coldPhases())
      case 'APP_STARTING':
        return this.startTransition(now, [{ kind: 'start', stage, current: null, durationMs: startMs }])
      case 'RUNNING_BUILDING':
        return this.startTransition(now, [
          { kind: 'build', stage, current: serving, durationMs: buildMs },
          { kind: 'start', stage: 'RUNNING_APP_STARTING', current: serving, durationMs: startMs }
        ])
      case 'RUNNING_APP_STARTING':
        return this.startTransition(now, [{ kind: 'start', stage, current: serving, durationMs: startMs }])
      case 'RUNNING':
        this.setPlan(
          { startedAt: now, phases: [], end: settled(stage, this.requested), deploys: this.repo.head().sha },
          now
        )
        return
      default: {
        const message = this.errorMessage ?? DEFAULT_ERROR_MESSAGES[stage] ?? null
        this.setPlan({ startedAt: now, phases: [], end: settled(stage, null, message) }, now)
      }
    }
  }

  private coldPhases(): Phase[] {
    const { buildMs, startMs } = this.timings
    return [
      { kind: 'build', stage: 'BUILDING', current: null, durationMs: buildMs },
      { kind: 'start', stage: 'APP_STARTING', current: null, durationMs: startMs }
    ]
  }

  /**
   * Plans a transition that builds the head of main and ends RUNNING on the requested flavor (deploying that
   * commit), or in the error stage of `nextBuild` (keeping the deployed commit).
   */
  private startTransition(now: number, phases: Phase[]): void {
    const outcome = this.nextBuild
    this.nextBuild = { outcome: 'ok' }
    const head = this.repo.head().sha
    const end =
      outcome.outcome === 'ok'
        ? settled('RUNNING', this.requested)
        : settled(outcome.outcome, null, outcome.errorMessage)
    const reached = phasesReached(phases, outcome)
    if (reached.some(p => p.kind === 'build')) {
      this.lastBuildRecord = { sha: head, startedAt: now + phaseOffset(reached, 'build') }
      if (outcome.outcome === 'BUILD_ERROR') this.lastBuildRecord.error = outcome.errorMessage
      if (outcome.outcome !== 'ok' && outcome.buildLog !== undefined)
        this.lastBuildRecord.log = [...outcome.buildLog]
    }
    this.setPlan({ startedAt: now, phases: reached, end, deploys: head }, now)
  }
}

/** ms from the start of a plan to its first phase of `kind`. */
function phaseOffset(phases: readonly Phase[], kind: PhaseKind): number {
  let offset = 0
  for (const phase of phases) {
    if (phase.kind === kind) return offset
    offset += phase.durationMs
  }
  return offset
}

export function toBuffer(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
}

/**
 * The initial tree of a Space from seeded contents. A file is stored in LFS when the seeded `.gitattributes`
 * tracks it, when it looks binary, or when it is larger than 10 MiB (the preupload rule).
 */
export function seedTree(
  files: Record<string, string | Uint8Array> | ReadonlyMap<string, Buffer>,
  lfs: Map<string, Buffer>
): Map<string, StoredFile> {
  const entries: [string, Buffer][] =
    files instanceof Map
      ? [...(files as ReadonlyMap<string, Buffer>)]
      : Object.entries(files as Record<string, string | Uint8Array>).map(([path, c]) => [path, toBuffer(c)])
  const attributes = entries.find(([path]) => path === '.gitattributes')?.[1].toString('utf8') ?? ''
  const tree = new Map<string, StoredFile>()
  for (const [path, content] of entries) {
    if (!isValidPath(path))
      throw new Error(`Invalid Space spec: files has an invalid path ${JSON.stringify(path)}`)
    if (needsLfs(path, content.length, content, attributes)) {
      const oid = sha256Hex(content)
      lfs.set(oid, content)
      tree.set(path, { lfs: true, oid, size: content.length })
    } else {
      tree.set(path, { lfs: false, content })
    }
  }
  return tree
}

const STAGES: ReadonlySet<string> = new Set<Stage>([
  'NO_APP_FILE',
  'CONFIG_ERROR',
  'BUILDING',
  'BUILD_ERROR',
  'RUNNING',
  'RUNNING_BUILDING',
  'RUNTIME_ERROR',
  'DELETING',
  'STOPPED',
  'PAUSED',
  'APP_STARTING',
  'RUNNING_APP_STARTING',
  'SLEEPING'
])
const OUTCOMES: ReadonlySet<string> = new Set([
  'ok',
  'BUILD_ERROR',
  'RUNTIME_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE'
])

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every(line => typeof line === 'string')
}

/**
 * Checks a (partial) SpaceSpec that may come from JSON. Throws an Error naming the first bad field; `flavors`
 * are the names in the hardware catalogue.
 */
export function checkSpec(patch: Partial<SpaceSpec>, flavors: readonly string[]): void {
  const p = patch as Record<string, unknown>
  const fail = (field: string, expected: string): never => {
    throw new Error(`Invalid Space spec: ${field} must be ${expected}, got ${JSON.stringify(p[field])}`)
  }
  if (p.id !== undefined && (typeof p.id !== 'string' || !isValidSpaceId(p.id))) fail('id', '"owner/name"')
  if (p.sdk !== undefined && !['gradio', 'docker', 'static'].includes(p.sdk as string)) {
    fail('sdk', 'gradio, docker or static')
  }
  if (p.private !== undefined && typeof p.private !== 'boolean') fail('private', 'a boolean')
  if (p.stage !== undefined && !STAGES.has(p.stage as string)) fail('stage', 'a Space stage')
  if (p.hardware !== undefined && !flavors.includes(p.hardware as string)) {
    fail('hardware', `one of ${flavors.join(', ')}`)
  }
  if (p.sleepTime !== undefined && p.sleepTime !== null && !Number.isInteger(p.sleepTime)) {
    fail('sleepTime', 'an integer or null')
  }
  if (p.subdomain !== undefined && (typeof p.subdomain !== 'string' || !/^[a-z0-9-]+$/.test(p.subdomain))) {
    fail('subdomain', 'lowercase letters, digits and dashes')
  }
  if (p.timings !== undefined) {
    const timings = p.timings as Record<string, unknown> | null
    const ok =
      typeof timings === 'object' &&
      timings !== null &&
      Object.entries(timings).every(
        ([key, ms]) => key in DEFAULT_TIMINGS && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
      )
    if (!ok) fail('timings', 'an object of staleMs, buildMs, startMs >= 0')
  }
  if (p.nextBuild !== undefined) {
    const next = p.nextBuild as Record<string, unknown> | null
    const ok =
      typeof next === 'object' &&
      next !== null &&
      OUTCOMES.has(next.outcome as string) &&
      (next.outcome === 'ok' || typeof next.errorMessage === 'string') &&
      (next.buildLog === undefined || isStringArray(next.buildLog))
    if (!ok) {
      fail(
        'nextBuild',
        '{outcome: "ok"} or {outcome: <error stage>, errorMessage: string, buildLog?: string[]}'
      )
    }
  }
  if (p.buildLog !== undefined && !isStringArray(p.buildLog)) fail('buildLog', 'an array of strings')
  if (p.runLog !== undefined && !isStringArray(p.runLog)) fail('runLog', 'an array of strings')
  if (p.sha !== undefined && (typeof p.sha !== 'string' || !SHA_PATTERN.test(p.sha)))
    fail('sha', '40 lowercase hex')
  if (p.errorMessage !== undefined && typeof p.errorMessage !== 'string') fail('errorMessage', 'a string')
  for (const field of ['runtimeSha', 'buildOnCommit'] as const) {
    if (p[field] !== undefined && typeof p[field] !== 'boolean') fail(field, 'a boolean')
  }
  if (p.visibility !== undefined && !['public', 'private', 'protected'].includes(p.visibility as string)) {
    fail('visibility', 'public, private or protected')
  }
  if (p.trustedPublishers !== undefined && !isPublisherList(p.trustedPublishers)) {
    fail('trustedPublishers', 'an array of {repository, workflow?, branch?} strings')
  }
  if (p.files !== undefined) {
    const files = p.files as Record<string, unknown> | null
    const ok =
      typeof files === 'object' &&
      files !== null &&
      !Array.isArray(files) &&
      Object.entries(files).every(
        ([path, content]) =>
          isValidPath(path) && (typeof content === 'string' || content instanceof Uint8Array)
      )
    if (!ok) fail('files', 'an object of relative path → string or Uint8Array content')
  }
  if (p.app !== undefined) {
    const app = p.app as Record<string, unknown> | null
    const routes = app?.routes as Record<string, unknown> | undefined
    const ok =
      typeof app === 'object' &&
      app !== null &&
      (app.warmupMs === undefined ||
        (typeof app.warmupMs === 'number' && Number.isFinite(app.warmupMs) && app.warmupMs >= 0)) &&
      (routes === undefined ||
        (typeof routes === 'object' &&
          routes !== null &&
          Object.entries(routes).every(
            ([path, status]) =>
              path.startsWith('/') &&
              Number.isInteger(status) &&
              (status as number) >= 100 &&
              (status as number) <= 599
          )))
    if (!ok) fail('app', '{routes?: {"/path": HTTP status}, warmupMs?: number >= 0}')
  }
  const volumesError = p.volumes === undefined ? undefined : parseVolumes(p.volumes)
  if (typeof volumesError === 'string') fail('volumes', `valid volumes (${volumesError})`)
  if (p.hiddenSources !== undefined && !isStringArray(p.hiddenSources))
    fail('hiddenSources', 'an array of strings')
  for (const field of ['secrets', 'variables'] as const) {
    if (p[field] !== undefined && configItemsError(p[field]) !== undefined) {
      fail(field, 'an array of {key, value, description?} with keys matching ^[a-zA-Z][_a-zA-Z0-9]*$')
    }
  }
}

function isPublisherList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (p: unknown) =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as TrustedPublisher).repository === 'string' &&
        ['workflow', 'branch'].every(k => {
          const v = (p as Record<string, unknown>)[k]
          return v === undefined || typeof v === 'string'
        })
    )
  )
}

/**
 * Checks one secret or variable from JSON; `valueRequired` false lets `value` default to "" (POST
 * secrets|variables). Returns an error message, or the item.
 */
export function parseConfigItem(raw: unknown, valueRequired: boolean): ConfigItem | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected a {key, value} object'
  const { key, value, description } = raw as Record<string, unknown>
  if (typeof key !== 'string' || !CONFIG_KEY_PATTERN.test(key)) {
    return `Invalid key ${JSON.stringify(key ?? null)}: it must match ^[a-zA-Z][_a-zA-Z0-9]*$`
  }
  if (value === undefined ? valueRequired : typeof value !== 'string') {
    return `Invalid value for ${key}: expected a string`
  }
  if (description !== undefined && typeof description !== 'string') {
    return `Invalid description for ${key}: expected a string`
  }
  const item: ConfigItem = { key, value: (value as string | undefined) ?? '' }
  if (description !== undefined) item.description = description
  return item
}

/** The first error in a list of secrets or variables (create, duplicate, SpaceSpec), or undefined. */
export function configItemsError(raw: unknown): string | undefined {
  if (!Array.isArray(raw)) return 'expected an array of {key, value, description?}'
  for (const item of raw) {
    const parsed = parseConfigItem(item, true)
    if (typeof parsed === 'string') return parsed
  }
  return undefined
}

/** How the Hub shows a source the caller cannot read (DOC `spaces-storage.md`). */
export const MASKED_SOURCE = '****/******'

const VOLUME_TYPES: ReadonlySet<string> = new Set(['bucket', 'model', 'dataset', 'space'])

/**
 * Checks a `volumes` list from JSON (PUT /volumes, create, duplicate). Repo volumes are always read-only; buckets
 * default to read-write. Returns an error message, or the volumes in the order type, source, mountPath,
 * revision?, readOnly, path?.
 */
export function parseVolumes(raw: unknown): Volume[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'volumes must be a non-empty array'
  const volumes: Volume[] = []
  for (const [index, item] of raw.entries()) {
    const at = `volumes[${index}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return `${at} must be an object`
    const v = item as Record<string, unknown>
    if (typeof v.type !== 'string' || !VOLUME_TYPES.has(v.type)) {
      return `${at}.type must be one of bucket, model, dataset, space`
    }
    if (typeof v.source !== 'string' || v.source === '') return `${at}.source must be a non-empty string`
    if (v.source === MASKED_SOURCE) return `${at}.source is masked: send the real repository or bucket id`
    if (typeof v.mountPath !== 'string' || !v.mountPath.startsWith('/')) {
      return `${at}.mountPath must be a path starting with /`
    }
    for (const key of ['revision', 'path'] as const) {
      if (v[key] !== undefined && typeof v[key] !== 'string') return `${at}.${key} must be a string`
    }
    if (v.readOnly !== undefined && typeof v.readOnly !== 'boolean') return `${at}.readOnly must be a boolean`
    const volume = { type: v.type, source: v.source, mountPath: v.mountPath } as Volume
    if (typeof v.revision === 'string') volume.revision = v.revision
    volume.readOnly = v.type === 'bucket' ? (v.readOnly ?? false) : true
    if (typeof v.path === 'string') volume.path = v.path
    volumes.push(volume)
  }
  return volumes
}
