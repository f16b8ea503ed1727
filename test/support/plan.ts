import type { Plan } from '../../src/plan/read-inputs.js'

/** A plan with every input at its default, as readInputs gives it for `space-id: acme/eval-app`. */
export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    spaceId: 'acme/eval-app',
    operation: 'runtime',
    credentials: { kind: 'anonymous' },
    endpoint: 'https://huggingface.co',
    hardware: undefined,
    sleepSeconds: undefined,
    factoryReboot: false,
    wait: true,
    timeoutSeconds: 1800,
    teardown: 'none',
    allowedHardware: [],
    maxHourlyCost: undefined,
    safetySleepSeconds: 3600,
    sdk: undefined,
    private: undefined,
    existOk: true,
    fromSpace: undefined,
    secrets: [],
    variables: [],
    keys: [],
    prune: false,
    storage: undefined,
    dryRun: false,
    folder: '.',
    pathInRepo: '',
    commitMessage: '',
    ignore: [],
    deletePatterns: [],
    createPr: false,
    sha: undefined,
    healthPath: undefined,
    buildStartSeconds: 60,
    restartIfNoBuild: false,
    ...overrides
  }
}
