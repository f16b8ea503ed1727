import type { CommonPlan, Plan } from '../../src/plan/plan.js'

/** What every plan holds at the defaults, as readInputs gives it for `space-id: acme/eval-app`. */
const COMMON: CommonPlan = {
  spaceId: 'acme/eval-app',
  credentials: { kind: 'anonymous' },
  endpoint: 'https://huggingface.co',
  wait: true,
  timeoutSeconds: 1800,
  teardown: 'none',
  allowedHardware: [],
  maxHourlyCost: undefined,
  safetySleepSeconds: 3600,
  dryRun: false,
  healthPath: undefined
}

/** A plan at the defaults with the given operation fields; a `runtime` read when no operation is given. */
export function plan(fields: Partial<CommonPlan> & Record<string, unknown> = {}): Plan {
  return { ...COMMON, operation: 'runtime', ...fields }
}
