import type { Hold, HoldSpec } from './holds.js'

/**
 * Public types of the Hub emulator. Other test suites and the offline demos code against these names, so they are
 * kept stable; see README.md for the behaviour behind them.
 */

/** Source of time for every stage computation. Milliseconds since the epoch. */
export interface Clock {
  now(): number
}

export type Stage =
  | 'NO_APP_FILE'
  | 'CONFIG_ERROR'
  | 'BUILDING'
  | 'BUILD_ERROR'
  | 'RUNNING'
  | 'RUNNING_BUILDING'
  | 'RUNTIME_ERROR'
  | 'DELETING'
  | 'STOPPED'
  | 'PAUSED'
  | 'APP_STARTING'
  | 'RUNNING_APP_STARTING'
  | 'SLEEPING'

/** One scoped grant of a fine-grained token, as whoami-v2 reports it. */
export interface FineGrainedEntry {
  /** Default: the emulator's stable id for `<type>:<name>` (a Space's default `_id` for type space). */
  entity: { _id?: string; type: 'space' | 'user' | 'org'; name: string }
  /** e.g. `repo.content.read`, `repo.write`. Writes to a Space need `repo.write`. */
  permissions: string[]
}

/** The permissions of a fine-grained token. */
export interface FineGrainedScope {
  scoped: FineGrainedEntry[]
  /** Default []. */
  global?: string[]
}

/** Subscription plans of an org; an org without one is on the free plan. */
export type OrgPlan = 'team' | 'enterprise' | 'plus' | 'academia'

export interface Account {
  name: string
  token: string
  /** Token role. A `fineGrained` token writes only where its scope grants `repo.write`. Default `write`. */
  role?: 'read' | 'write' | 'fineGrained'
  /**
   * Scope of a `fineGrained` token. Absent: the token is scoped to its own user with `repo.content.read`,
   * `repo.access.read` and `repo.write` (it writes wherever the account may).
   */
  fineGrained?: FineGrainedScope
  /** Whether the account has a payment method (needed for paid hardware). Default false. */
  canPay?: boolean
  /** PRO subscription: needed to create gradio and docker Spaces in the account's own namespace. */
  isPro?: boolean
  /** `plan` absent = free: gradio and docker Spaces cannot be created in the org. */
  orgs?: { name: string; roleInOrg: 'admin' | 'write' | 'contributor' | 'read'; plan?: OrgPlan }[]
}

export interface HardwareFlavor {
  name: string
  prettyName: string
  cpu: string
  ram: string
  accelerator: null | {
    type: 'gpu' | 'neuron'
    model: string
    quantity: string
    vram: string
    manufacturer: 'Nvidia' | 'AWS'
  }
  /** Micro-USD per minute (unitCostUSD * 1e6 / 60, rounded). */
  unitCostMicroUSD: number
  /** USD per `unitLabel` (per hour). */
  unitCostUSD: number
  unitLabel: string
}

/** Durations of the phases of a transition, in milliseconds. Defaults: 300, 1000, 500. */
export interface Timings {
  /** How long a RUNNING Space keeps reporting its old stage and hardware after a hardware request. */
  staleMs: number
  /** BUILDING / RUNNING_BUILDING. */
  buildMs: number
  /** APP_STARTING / RUNNING_APP_STARTING. */
  startMs: number
}

export type BuildOutcome =
  | { outcome: 'ok' }
  | {
      outcome: 'BUILD_ERROR' | 'RUNTIME_ERROR' | 'CONFIG_ERROR' | 'NO_APP_FILE'
      errorMessage: string
      /** Lines logs/build serves for this build (default: a plausible log that ends in the error). */
      buildLog?: string[]
    }

export type Visibility = 'public' | 'private' | 'protected'

/** A secret or variable as sent to the Hub (create, duplicate, POST secrets|variables). */
export interface ConfigItem {
  key: string
  value: string
  description?: string
}

/** A volume mounted in the Space container (PUT /volumes). */
export interface Volume {
  type: 'bucket' | 'model' | 'dataset' | 'space'
  source: string
  mountPath: string
  revision?: string
  /** Always true for repos; default false for buckets. */
  readOnly: boolean
  path?: string
}

/** A GitHub workflow allowed to exchange its OIDC token for a token on this Space. */
export interface TrustedPublisher {
  /** `owner/repo` on GitHub; must equal the `repository` claim. */
  repository: string
  /** Workflow file name (`ci.yml`); when set, must equal the file name in the `workflow_ref` claim. */
  workflow?: string
  /** When set, the `ref` claim must be `refs/heads/<branch>`. */
  branch?: string
}

/**
 * A tiny HTTP app the emulator serves for the Space on 127.0.0.1 (a random port), for probing a health path. The
 * runtime then reports `domains: [{domain: "127.0.0.1:<port>", stage: "READY"}]` and the info `host` is
 * `http://127.0.0.1:<port>`.
 */
export interface AppSpec {
  /** Status by pathname. Default: 200 for `/`, 404 for any other path. */
  routes?: Record<string, number>
  /** The app answers 503 until this long (clock ms) after the Space became RUNNING. Default 0. */
  warmupMs?: number
}

export interface SpaceSpec {
  /** 'owner/name' */
  id: string
  /** Default gradio. */
  sdk?: 'gradio' | 'docker' | 'static'
  /** Default false. */
  private?: boolean
  /** Overrides `private`: `private` and `protected` Spaces are visible to members only. Default public. */
  visibility?: Visibility
  /** Initial stage, default RUNNING. A transitional stage (BUILDING…) starts a transition at once. */
  stage?: Stage
  /** Initial current+requested flavor, default cpu-basic (static: always null). */
  hardware?: string
  /** gcTimeout in seconds; default 172800 on cpu-basic, null on other flavors. */
  sleepTime?: number | null
  /** Default: lowercase id with runs of [^a-z0-9] replaced by '-'. */
  subdomain?: string
  timings?: Partial<Timings>
  /** Applied to the next transition that builds/starts; default ok. Consumed once. */
  nextBuild?: BuildOutcome
  /** Lines served by logs/build. */
  buildLog?: string[]
  /** Lines served by logs/run. */
  runLog?: string[]
  /**
   * 40-hex. On addSpace: the id of the initial commit (default: computed like git). On updateSpace: sets the
   * serving commit at once, without touching the history or the info `sha` (the head): a test knob.
   */
  sha?: string
  /** The runtime carries `sha`, the serving commit (unconfirmed on the Hub; absent from every recording). Default false. */
  runtimeSha?: boolean
  /** False: a commit to main starts no build, and the old build keeps serving (restart still builds). Default true. */
  buildOnCommit?: boolean
  /**
   * The content of the initial commit (addSpace only), replacing the defaults (`.gitattributes`, `README.md`, and
   * `index.html` + `style.css` for static Spaces). Files that the given `.gitattributes` tracks, that look binary
   * or that exceed 10 MiB are stored in LFS.
   */
  files?: Record<string, string | Uint8Array>
  /** An app to probe: see AppSpec. */
  app?: AppSpec
  /**
   * Extension: the `errorMessage` reported when `stage` is set directly to an error stage. Transitions that fail
   * take their message from `nextBuild` instead.
   */
  errorMessage?: string
  /** Who may exchange a GitHub OIDC token for a token on this Space (POST /oauth/token). Default none. */
  trustedPublishers?: TrustedPublisher[]
  /** Seeded (upserted) without restarting the Space. */
  secrets?: ConfigItem[]
  /** Seeded (upserted) without restarting the Space. */
  variables?: ConfigItem[]
  /** Mounted volumes, replaced without restarting the Space. */
  volumes?: Volume[]
  /**
   * Extension: volume sources no caller may read (private repositories or buckets of someone else). The runtime and
   * the info show them masked, as `MASKED_SOURCE` (contract §6.7).
   */
  hiddenSources?: string[]
}

export interface RecordedRequest {
  method: string
  /** Pathname, without the query. */
  path: string
  query: Record<string, string>
  /** Lower-case header names. */
  headers: Record<string, string>
  /** The request body as UTF-8; '' for uploads to the LFS storage stand-in (their size is in `bodySize`). */
  body: string
  /** Bytes received, for uploads to the LFS storage stand-in (`/__lfs/upload/…`). */
  bodySize?: number
  /** Status sent, 0 when the socket was reset or the request hung (or is still in flight). */
  status: number
  /** The body sent (JSON as serialised, SSE and text as is); undefined until answered, and for resets and hangs. */
  responseBody?: string
  /** clock.now() when the request arrived. */
  at: number
}

export type FaultSpec = {
  /** Default: any method. */
  method?: string
  /** Exact pathname or a regex on the pathname (no query). */
  path: string | RegExp
  /** How many matching requests it hits, default 1; Infinity allowed. */
  times?: number
} & (
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'truncated' }
)

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0 (a random free port). */
  port?: number
  /** Default: the system clock. */
  clock?: Clock
  /** Default DEFAULT_ACCOUNTS. */
  accounts?: Account[]
  /** Default DEFAULT_HARDWARE. */
  hardware?: HardwareFlavor[]
  /** Default quota 1000 per 300 s. */
  rateLimit?: { quota: number; windowSeconds: number }
  /** Default DEFAULT_OIDC. */
  oidc?: OidcConfig
}

/** Claims of the GitHub OIDC tokens the emulator issues; any other claim is copied into the token. */
export interface OidcClaims {
  /** `owner/repo` */
  repository: string
  /** e.g. `refs/heads/main` */
  ref: string
  /** e.g. `acme/ci/.github/workflows/ci.yml@refs/heads/main` */
  workflow_ref?: string
  [claim: string]: unknown
}

/** The stand-in for the runner's ACTIONS_ID_TOKEN_REQUEST_URL endpoint. */
export interface OidcConfig {
  /** The ACTIONS_ID_TOKEN_REQUEST_TOKEN the endpoint accepts. */
  requestToken: string
  claims: OidcClaims
  /** Lifetime of the issued ID tokens (`exp - iat`). Default 300. */
  tokenLifetimeSeconds?: number
}

/** A commit, as SpaceView lists it. */
export interface CommitView {
  sha: string
  title: string
  description: string
  parent: string | null
  /** ISO date. */
  date: string
  author: string
  /** `main` or `refs/pr/N`. */
  ref: string
  /** Paths added, modified or deleted, in git order. */
  files: string[]
}

/** A file at the head of main. */
export interface FileView {
  size: number
  lfs: boolean
  /** The git blob SHA-1 of a regular file, the sha256 of an LFS file (what preupload answers as `oid`). */
  sha: string
}

export interface SpaceView {
  id: string
  runtime: Record<string, unknown>
  info: Record<string, unknown>
  sdk: string
  private: boolean
  visibility: Visibility
  /** Restarts so far: POST /restart, and every change of a secret, variable or volumes that restarted it. */
  restarts: number
  /** As GET /secrets answers: key, description, updatedAt; never the values (see Emulator.secretValue). */
  secrets: Record<string, { key: string; description?: string; updatedAt: string }>
  /** As GET /variables answers. */
  variables: Record<string, { value: string; description?: string; updatedAt: string }>
  volumes: Volume[]
  trustedPublishers: TrustedPublisher[]
  /** The info `sha`: the head of main. */
  sha: string
  /** The commit the serving build was built from (the runtime `sha`, when `runtimeSha` serves it). */
  serving: string
  /** The head of main. */
  head: string
  /** ISO date of the last commit to main. */
  lastModified: string
  /** Every commit (main and PR refs), oldest first. */
  commits: CommitView[]
  /** The files at the head of main, in git order. */
  files: Record<string, FileView>
  /** Open PR refs. */
  pullRequests: { num: number; ref: string; head: string }[]
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  url: string
  accounts: Account[]
  addSpace(spec: SpaceSpec): void
  updateSpace(id: string, patch: Partial<SpaceSpec>): void
  /** Computed at clock.now(). */
  space(id: string): SpaceView | undefined
  /** The raw value of a secret, for tests only (no HTTP route ever returns it). */
  secretValue(id: string, key: string): string | undefined
  /** The OIDC issuer stand-in's settings; assign to change them. */
  oidc: OidcConfig
  /** `<url>/__oidc/token?api-version=2.0`: the ACTIONS_ID_TOKEN_REQUEST_URL to hand to the action. */
  readonly oidcRequestUrl: string
  /**
   * Every /api, /oauth, /__oidc, /spaces (LFS batch and verify, resolve) and /__lfs (the LFS storage stand-in)
   * request in order (not control requests), including faulted ones.
   */
  requests(): RecordedRequest[]
  /**
   * The most recorded requests that were open at once (arrived, not yet answered) since the start or the last
   * clearRequests: how many requests a client keeps in flight, counted by the server rather than by timing.
   */
  peakInFlight(): number
  /** The bytes of a file at the head of main (or at `rev`), LFS files included; undefined when missing. */
  fileContent(id: string, path: string, rev?: string): Buffer | undefined
  /** The requests the Space's app (SpaceSpec.app) received, in order. */
  appRequests(id: string): RecordedRequest[]
  /** `http://127.0.0.1:<port>` of the Space's app once it listens; undefined when the Space has no app. */
  appUrl(id: string): Promise<string | undefined>
  clearRequests(): void
  fault(f: FaultSpec): void
  clearFaults(): void
  /** Holds matching requests, recorded but unapplied and unanswered, until released (see holds.ts). */
  hold(spec: HoldSpec): Hold
  /** Closes the server and destroys open and hung sockets. */
  close(): Promise<void>
}
