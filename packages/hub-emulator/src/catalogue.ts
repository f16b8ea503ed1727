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

const nvidia = (model: string, quantity: number, vramGb: number) => ({
  model,
  quantity: String(quantity),
  vram: `${vramGb * quantity} GB`
})

/**
 * Every flavor the Hub accepts for Spaces (docs/hub-api.md §7: PY `SpaceHardware` plus the SPEC extras), in PY's
 * order with the extras after their family. Prices are the public Spaces pricing where it lists the flavor; the
 * others (cpu-performance, cpu-xl, sprx8, inf2x6, a100x4/x8, h200*, rtx-pro-6000*) are estimates.
 */
export const DEFAULT_HARDWARE: HardwareFlavor[] = [
  flavor('cpu-basic', 'CPU basic', '2 vCPU', '16 GB', 0),
  flavor('cpu-upgrade', 'CPU upgrade', '8 vCPU', '32 GB', 0.03),
  flavor('cpu-performance', 'CPU performance', '32 vCPU', '256 GB', 0.5),
  flavor('cpu-xl', 'CPU XL', '16 vCPU', '124 GB', 1.0),
  flavor('sprx8', 'Intel Sapphire Rapids x8', '64 vCPU', '512 GB', 2.0),
  flavor('zero-a10g', 'ZeroGPU', '8 vCPU', '16 GB', 0, { model: 'H200', quantity: '1', vram: '70 GB' }),
  flavor('t4-small', 'Nvidia T4 - small', '4 vCPU', '15 GB', 0.4, nvidia('T4', 1, 16)),
  flavor('t4-medium', 'Nvidia T4 - medium', '8 vCPU', '30 GB', 0.6, nvidia('T4', 1, 16)),
  flavor('l4x1', '1x Nvidia L4', '8 vCPU', '30 GB', 0.8, nvidia('L4', 1, 24)),
  flavor('l4x4', '4x Nvidia L4', '48 vCPU', '186 GB', 3.8, nvidia('L4', 4, 24)),
  flavor('l40sx1', '1x Nvidia L40S', '8 vCPU', '62 GB', 1.8, nvidia('L40S', 1, 48)),
  flavor('l40sx4', '4x Nvidia L40S', '48 vCPU', '382 GB', 8.3, nvidia('L40S', 4, 48)),
  flavor('l40sx8', '8x Nvidia L40S', '192 vCPU', '1534 GB', 23.5, nvidia('L40S', 8, 48)),
  flavor('a10g-small', 'Nvidia A10G - small', '4 vCPU', '15 GB', 1.0, nvidia('A10G', 1, 24)),
  flavor('a10g-large', 'Nvidia A10G - large', '12 vCPU', '46 GB', 1.5, nvidia('A10G', 1, 24)),
  flavor('a10g-largex2', '2x Nvidia A10G - large', '24 vCPU', '92 GB', 3.0, nvidia('A10G', 2, 24)),
  flavor('a10g-largex4', '4x Nvidia A10G - large', '48 vCPU', '184 GB', 5.0, nvidia('A10G', 4, 24)),
  flavor('a100-large', 'Nvidia A100 - large', '12 vCPU', '142 GB', 2.5, nvidia('A100', 1, 80)),
  flavor('a100x4', '4x Nvidia A100', '48 vCPU', '568 GB', 10.0, nvidia('A100', 4, 80)),
  flavor('a100x8', '8x Nvidia A100', '96 vCPU', '1136 GB', 20.0, nvidia('A100', 8, 80)),
  flavor('h200', '1x Nvidia H200', '23 vCPU', '256 GB', 5.0, nvidia('H200', 1, 141)),
  flavor('h200x2', '2x Nvidia H200', '46 vCPU', '512 GB', 10.0, nvidia('H200', 2, 141)),
  flavor('h200x4', '4x Nvidia H200', '92 vCPU', '1024 GB', 20.0, nvidia('H200', 4, 141)),
  flavor('h200x8', '8x Nvidia H200', '184 vCPU', '2048 GB', 40.0, nvidia('H200', 8, 141)),
  flavor('rtx-pro-6000', '1x Nvidia RTX PRO 6000', '16 vCPU', '128 GB', 2.0, nvidia('RTX PRO 6000', 1, 96)),
  flavor('rtx-pro-6000x2', '2x Nvidia RTX PRO 6000', '32 vCPU', '256 GB', 4.0, nvidia('RTX PRO 6000', 2, 96)),
  flavor('rtx-pro-6000x4', '4x Nvidia RTX PRO 6000', '64 vCPU', '512 GB', 8.0, nvidia('RTX PRO 6000', 4, 96)),
  flavor(
    'rtx-pro-6000x8',
    '8x Nvidia RTX PRO 6000',
    '128 vCPU',
    '1024 GB',
    16.0,
    nvidia('RTX PRO 6000', 8, 96)
  ),
  {
    ...flavor('inf2x6', 'AWS Inferentia2 x6', '96 vCPU', '384 GB', 12.0),
    accelerator: { type: 'neuron', model: 'Inferentia2', quantity: '6', vram: '192 GB', manufacturer: 'AWS' }
  }
]

/** The free flavor every compute Space starts on, and the only one with a fixed sleep time. */
export const FREE_FLAVOR = 'cpu-basic'
/** cpu-basic's fixed sleep time: 48 hours. */
export const FREE_SLEEP_SECONDS = 172800
/** ZeroGPU flavors are for Gradio Spaces only. */
export const ZERO_GPU_FLAVOR = 'zero-a10g'
