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
  safetySleepTime: 'safety-sleep-time'
} as const

export const Output = {
  stage: 'stage',
  hardware: 'hardware',
  requestedHardware: 'requested-hardware',
  sleepTime: 'sleep-time',
  spaceUrl: 'space-url',
  appUrl: 'app-url',
  previousHardware: 'previous-hardware',
  previousSleepTime: 'previous-sleep-time'
} as const

export const State = {
  teardown: 'teardown'
} as const

export const OPERATIONS = [
  'runtime',
  'request-hardware',
  'set-sleep-time',
  'pause',
  'restart',
  'wait'
] as const
export type Operation = (typeof OPERATIONS)[number]

export const TEARDOWNS = ['none', 'pause', 'restore', 'downgrade'] as const
export type TeardownMode = (typeof TEARDOWNS)[number]

export const FREE_FLAVOR = 'cpu-basic'
export const DEFAULT_ENDPOINT = 'https://huggingface.co'
export const ACTION_NAME = 'hf-space-action'
export const ACTION_VERSION = '0.1.0'
