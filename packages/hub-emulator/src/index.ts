/**
 * A loopback emulator of the Hugging Face Hub's Spaces API, for tests and offline rehearsals.
 *
 *   const hub = await startEmulator({ clock })
 *   hub.addSpace({ id: 'acme/eval-app' })
 *   // point the client at hub.url with a token from hub.accounts
 *   await hub.close()
 *
 * See README.md for the routes, the state machine, the control endpoints and the faults.
 */
export type {
  Account,
  AppSpec,
  BuildOutcome,
  Clock,
  CommitView,
  ConfigItem,
  Emulator,
  EmulatorOptions,
  FaultSpec,
  FileView,
  FineGrainedEntry,
  FineGrainedScope,
  HardwareFlavor,
  OidcClaims,
  OidcConfig,
  OrgPlan,
  RecordedRequest,
  SpaceSpec,
  SpaceView,
  Stage,
  Timings,
  TrustedPublisher,
  Visibility,
  Volume
} from './types.js'
export { DEFAULT_ACCOUNTS, DEFAULT_HARDWARE, DEFAULT_OIDC, microUsdPerMinute } from './catalogue.js'
export {
  ACCESS_TOKEN_TYPE,
  GITHUB_ISSUER,
  HUB_AUDIENCE,
  ID_TOKEN_TYPE,
  MINTED_TOKEN_SECONDS,
  TOKEN_EXCHANGE_GRANT
} from './oidc.js'
export { FakeClock, systemClock } from './clock.js'
export { DEFAULT_RATE_LIMIT } from './ratelimit.js'
export { DEFAULT_TIMINGS, defaultSubdomain } from './spaces.js'
export {
  blobSha1,
  DEFAULT_GITATTRIBUTES,
  defaultReadme,
  isIgnored,
  isLfsTracked,
  LFS_THRESHOLD_BYTES,
  lfsPointer,
  sha256Hex
} from './git.js'
export { PARENT_COMMIT_CONFLICT, TREE_PAGE_SIZE } from './content.js'
export { LFS_CONTENT_TYPE } from './lfs.js'
export { startEmulator, type RunningEmulator } from './server.js'
export type { Hold, HoldSpec } from './holds.js'
