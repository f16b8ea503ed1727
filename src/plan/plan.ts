/**
 * The validated plan: what every step needs (`CommonPlan`), joined with the fields of its one operation as the
 * operation table (src/plan/operations.ts) reads them. A union keyed by `operation`, so a handler sees exactly the
 * fields its operation guarantees.
 */
import type { Volume } from '../hub/types.js'
import type { Credentials } from './credentials.js'
import type { SpaceTargets } from './targets.js'
import type { KeyValue } from './key-values.js'
import type { DeploymentMode, Sdk, StorageTier, TeardownMode } from './names.js'
import type { Operation, OperationFields } from './operations.js'

export interface CommonPlan {
  spaceId: string
  credentials: Credentials
  endpoint: string
  wait: boolean
  timeoutSeconds: number
  teardown: TeardownMode
  /** Flavor patterns the step may request (`*` and `?` wildcards); empty allows any. */
  allowedHardware: string[]
  /** The most the requested flavor may cost, in USD per hour. */
  maxHourlyCost: number | undefined
  /** Sleep time set on an upgrade to paid hardware with a teardown and no `sleep-time`; undefined turns it off. */
  safetySleepSeconds: number | undefined
  /** Read and validate, print the writes that would be made, make none. */
  dryRun: boolean
  /** After RUNNING, wait until the app answers 2xx at app-url + this path. */
  healthPath: string | undefined
  /** Absent unless a GitHub feature is on: then, and only then, src/github/ is loaded. */
  github?: GitHubPlan
  /** Several Spaces or patterns in `space-id`: the fleet step (src/steps/fleet.ts) runs the plan on each. */
  fleet?: SpaceTargets
}

/** What the step records on GitHub: a deployment for `environment`, a sticky pull request comment. */
export interface GitHubPlan {
  /** Sent only to the GitHub API; masked when read. */
  token: string
  environment: string | undefined
  production: boolean
  deployment: DeploymentMode
  prComment: boolean
}

export type PlanFor<O extends Operation> = CommonPlan & { operation: O } & OperationFields<O>
export type Plan = { [O in Operation]: PlanFor<O> }[Operation]

/** The settings a new Space (create, duplicate) or one of its re-runs on an existing Space applies. */
export interface SpaceSettings {
  /** The flavor to request, lower case. */
  hardware: string | undefined
  /** Sleep time in seconds; NEVER_SLEEP (src/hub/types.ts) means never sleep. */
  sleepSeconds: number | undefined
  /** The visibility; undefined leaves the Hub's default. */
  private: boolean | undefined
  /** An existing Space is not an error; the settings are applied to it. */
  existOk: boolean
  /** Values are secret: masked when read, never logged, output or saved. */
  secrets: KeyValue[]
  variables: KeyValue[]
  storage: StorageTier | undefined
  /** Mounted in the creation call; on an existing Space merged by mount path into its volumes. */
  volumes: Volume[]
}

export type CreateFields = SpaceSettings & { sdk: Sdk }

/** The flavor a plan asks for, whatever its operation: the guards check it before any write. */
export function requestedHardware(plan: Plan): string | undefined {
  return 'hardware' in plan ? plan.hardware : undefined
}

/** The sleep time a plan sets, whatever its operation. */
export function requestedSleep(plan: Plan): number | undefined {
  return 'sleepSeconds' in plan ? plan.sleepSeconds : undefined
}

/** The plan with another sleep time, for the operations that set one (the others are returned as they are). */
export function withSleep(plan: Plan, sleepSeconds: number): Plan {
  return 'sleepSeconds' in plan ? { ...plan, sleepSeconds } : plan
}
