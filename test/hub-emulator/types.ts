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

export interface Account {
  name: string
  token: string
  /** Token role; `fineGrained` is treated like `write` for authorisation. Default `write`. */
  role?: 'read' | 'write' | 'fineGrained'
  /** Whether the account has a payment method (needed for paid hardware). Default false. */
  canPay?: boolean
  isPro?: boolean
  orgs?: { name: string; roleInOrg: 'admin' | 'write' | 'contributor' | 'read' }[]
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
  | { outcome: 'BUILD_ERROR' | 'RUNTIME_ERROR' | 'CONFIG_ERROR' | 'NO_APP_FILE'; errorMessage: string }

export interface SpaceSpec {
  /** 'owner/name' */
  id: string
  /** Default gradio. */
  sdk?: 'gradio' | 'docker' | 'static'
  /** Default false. */
  private?: boolean
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
  /** 40-hex; default a fixed fake sha. */
  sha?: string
  /**
   * Extension: the `errorMessage` reported when `stage` is set directly to an error stage. Transitions that fail
   * take their message from `nextBuild` instead.
   */
  errorMessage?: string
}

export interface RecordedRequest {
  method: string
  /** Pathname, without the query. */
  path: string
  query: Record<string, string>
  /** Lower-case header names. */
  headers: Record<string, string>
  body: string
  /** Status sent, 0 when the socket was reset or the request hung (or is still in flight). */
  status: number
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
  | { kind: 'malformed' }
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
}

export interface SpaceView {
  id: string
  runtime: Record<string, unknown>
  info: Record<string, unknown>
  sdk: string
  private: boolean
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  url: string
  accounts: Account[]
  addSpace(spec: SpaceSpec): void
  updateSpace(id: string, patch: Partial<SpaceSpec>): void
  /** Computed at clock.now(). */
  space(id: string): SpaceView | undefined
  /** Every /api request in order (not control requests), including faulted ones. */
  requests(): RecordedRequest[]
  clearRequests(): void
  fault(f: FaultSpec): void
  clearFaults(): void
  /** Closes the server and destroys open and hung sockets. */
  close(): Promise<void>
}
