/** Input, output and state names, written once: `action.yml` and the tests use the same strings. */

export const Input = {
  spaceId: 'space-id',
  operation: 'operation',
  token: 'token',
  hardware: 'hardware',
  sleepTime: 'sleep-time',
  factoryReboot: 'factory-reboot',
  wait: 'wait',
  timeout: 'timeout',
  teardown: 'teardown',
  endpoint: 'endpoint',
  allowedHardware: 'allowed-hardware',
  maxHourlyCost: 'max-hourly-cost',
  safetySleepTime: 'safety-sleep-time',
  sdk: 'sdk',
  private: 'private',
  existOk: 'exist-ok',
  fromSpace: 'from-space',
  secrets: 'secrets',
  variables: 'variables',
  keys: 'keys',
  prune: 'prune',
  storage: 'storage',
  dryRun: 'dry-run',
  folder: 'folder',
  pathInRepo: 'path-in-repo',
  commitMessage: 'commit-message',
  ignore: 'ignore',
  delete: 'delete',
  createPr: 'create-pr',
  sha: 'sha',
  healthPath: 'health-path',
  buildStartTimeout: 'build-start-timeout',
  restartIfNoBuild: 'restart-if-no-build',
  githubToken: 'github-token',
  environment: 'environment',
  productionEnvironment: 'production-environment',
  deployment: 'deployment',
  prComment: 'pr-comment',
  volumes: 'volumes'
} as const
export type InputName = (typeof Input)[keyof typeof Input]

export const Output = {
  stage: 'stage',
  hardware: 'hardware',
  requestedHardware: 'requested-hardware',
  sleepTime: 'sleep-time',
  spaceUrl: 'space-url',
  appUrl: 'app-url',
  previousHardware: 'previous-hardware',
  previousSleepTime: 'previous-sleep-time',
  created: 'created',
  commitSha: 'commit-sha',
  commitUrl: 'commit-url',
  prUrl: 'pr-url',
  committed: 'committed',
  deploymentId: 'deployment-id',
  skipped: 'skipped',
  volumes: 'volumes',
  spaces: 'spaces'
} as const

export const State = {
  teardown: 'teardown',
  github: 'github',
  /** Several Spaces: the list of their teardown states (src/steps/fleet.ts). */
  fleetTeardown: 'teardown-fleet'
} as const

export const TEARDOWNS = ['none', 'pause', 'restore', 'downgrade', 'delete'] as const

/** `create` records a GitHub deployment; `outputs` leaves it to a job that declares `environment:` itself. */
export const DEPLOYMENT_MODES = ['create', 'outputs'] as const
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number]

export const SDKS = ['gradio', 'docker', 'static'] as const
export type Sdk = (typeof SDKS)[number]

/** Former persistent-storage tiers, smallest first (a tier can be raised, never lowered). */
export const STORAGE_TIERS = ['small', 'medium', 'large'] as const
export type StorageTier = (typeof STORAGE_TIERS)[number]
export type TeardownMode = (typeof TEARDOWNS)[number]

export const FREE_FLAVOR = 'cpu-basic'
export const DEFAULT_ENDPOINT = 'https://huggingface.co'
export const ACTION_NAME = 'hf-space-action'
export const ACTION_VERSION = '0.1.0'

/**
 * What is wrong with a repository id (owner/name) by the Hub's rules (docs/hub-api.md §11), or null. Space
 * ids and the repositories mounted as volumes follow the same rules.
 */
export function repoIdProblem(text: string): string | null {
  const parts = text.split('/')
  const part = /^(?![-.])[\w.-]+(?<![-.])$/
  return parts.length !== 2
    ? 'it must be owner/name, with exactly one "/"'
    : !parts.every(p => part.test(p))
      ? 'owner and name may hold only letters, digits, "-", "_" and ".", and may not start or end with "-" or "."'
      : (parts[1] ?? '').length > 96
        ? 'the name is longer than 96 characters'
        : /--|\.\./.test(text)
          ? '"--" and ".." are not allowed'
          : text.endsWith('.git')
            ? 'it may not end in ".git"'
            : null
}
