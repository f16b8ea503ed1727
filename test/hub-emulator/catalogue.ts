/**
 * Seed data: the default accounts and the hardware catalogue served by `GET /api/spaces/hardware`.
 *
 * Prices follow the public Spaces pricing. `unitCostUSD` is per hour (`unitLabel: 'hour'`), while
 * `unitCostMicroUSD` is per minute (`unitCostUSD * 1e6 / 60`, rounded), the unit the Hub's billing uses.
 */
import { objectId } from './ids.js'
import type { Account, HardwareFlavor, OidcConfig } from './types.js'

export const DEFAULT_ACCOUNTS: Account[] = [
  {
    name: 'acme',
    token: 'hf_emulator_acme_write_0123456789',
    role: 'write',
    canPay: true,
    isPro: true,
    orgs: [{ name: 'acme-org', roleInOrg: 'admin', plan: 'team' }]
  },
  { name: 'reader', token: 'hf_emulator_reader_read_0123456789', role: 'read' },
  { name: 'outsider', token: 'hf_emulator_outsider_write_0123456789', role: 'write' },
  { name: 'broke', token: 'hf_emulator_broke_write_0123456789', role: 'write', canPay: false, isPro: false },
  {
    // A fine-grained token that may only read the demo Space: every write is refused for lack of repo.write.
    name: 'finegrained',
    token: 'hf_emulator_finegrained_read_0123456789',
    role: 'fineGrained',
    fineGrained: {
      scoped: [
        {
          entity: { _id: objectId('space:acme/eval-app'), type: 'space', name: 'acme/eval-app' },
          permissions: ['repo.content.read']
        }
      ],
      global: []
    }
  }
]

/** The OIDC issuer stand-in's defaults: a workflow of the GitHub repository acme/ci on main. */
export const DEFAULT_OIDC: OidcConfig = {
  requestToken: 'gh_oidc_request_token_0123456789',
  claims: {
    repository: 'acme/ci',
    ref: 'refs/heads/main',
    workflow_ref: 'acme/ci/.github/workflows/ci.yml@refs/heads/main'
  }
}

/** Micro-USD per minute for a price given in USD per hour. */
export function microUsdPerMinute(usdPerHour: number): number {
  return Math.round((usdPerHour * 1e6) / 60)
}

function flavor(
  name: string,
  prettyName: string,
  cpu: string,
  ram: string,
  usdPerHour: number,
  gpu?: { model: string; quantity: string; vram: string }
): HardwareFlavor {
  return {
    name,
    prettyName,
    cpu,
    ram,
    accelerator: gpu ? { type: 'gpu', ...gpu, manufacturer: 'Nvidia' } : null,
    unitCostMicroUSD: microUsdPerMinute(usdPerHour),
    unitCostUSD: usdPerHour,
    unitLabel: 'hour'
  }
}

export const DEFAULT_HARDWARE: HardwareFlavor[] = [
  flavor('cpu-basic', 'CPU basic', '2 vCPU', '16 GB', 0),
  flavor('cpu-upgrade', 'CPU upgrade', '8 vCPU', '32 GB', 0.03),
  flavor('t4-small', 'Nvidia T4 - small', '4 vCPU', '15 GB', 0.4, {
    model: 'T4',
    quantity: '1',
    vram: '16 GB'
  }),
  flavor('t4-medium', 'Nvidia T4 - medium', '8 vCPU', '30 GB', 0.6, {
    model: 'T4',
    quantity: '1',
    vram: '16 GB'
  }),
  flavor('l4x1', '1x Nvidia L4', '8 vCPU', '30 GB', 0.8, { model: 'L4', quantity: '1', vram: '24 GB' }),
  flavor('a10g-small', 'Nvidia A10G - small', '4 vCPU', '15 GB', 1.0, {
    model: 'A10G',
    quantity: '1',
    vram: '24 GB'
  }),
  flavor('a10g-large', 'Nvidia A10G - large', '12 vCPU', '46 GB', 1.5, {
    model: 'A10G',
    quantity: '1',
    vram: '24 GB'
  }),
  flavor('a100-large', 'Nvidia A100 - large', '12 vCPU', '142 GB', 2.5, {
    model: 'A100',
    quantity: '1',
    vram: '80 GB'
  }),
  flavor('zero-a10g', 'ZeroGPU', '8 vCPU', '16 GB', 0, { model: 'H200', quantity: '1', vram: '70 GB' })
]

/** The free flavor every compute Space starts on, and the only one with a fixed sleep time. */
export const FREE_FLAVOR = 'cpu-basic'
/** cpu-basic's fixed sleep time: 48 hours. */
export const FREE_SLEEP_SECONDS = 172800
/** ZeroGPU flavors are for Gradio Spaces only. */
export const ZERO_GPU_FLAVOR = 'zero-a10g'
