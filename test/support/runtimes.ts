import type { Runtime } from '../../src/hub/types.js'

export function runtime(
  stage: string,
  hardware: string | null,
  requested: string | null = hardware,
  extra: Partial<Runtime> = {}
): Runtime {
  return {
    stage,
    hardware,
    requestedHardware: requested,
    sleepTime: 172800,
    errorMessage: null,
    domains: [{ domain: 'acme-eval-app.hf.space', stage: 'READY', isCustom: false }],
    sha: null,
    storage: null,
    ...extra
  }
}
