/**
 * `npm run emulator`: a Hub emulator on 127.0.0.1 for rehearsing workflows offline.
 *
 *   HUB_EMULATOR_PORT=8787 npm run emulator      (default 8787; 0 picks a free port)
 *   HF_ENDPOINT=http://127.0.0.1:8787 HF_TOKEN=hf_emulator_acme_write_0123456789 <your workflow>
 *
 * Seeds the default accounts and the demo Space acme/eval-app (gradio, RUNNING on cpu-basic, trusted publisher
 * acme/ci), prints where it listens, the tokens and the OIDC settings for keyless auth, and runs until SIGINT or
 * SIGTERM.
 */
import { DEFAULT_ACCOUNTS, startEmulator } from './index.js'

const DEFAULT_PORT = 8787
export const DEMO_SPACE = 'acme/eval-app'

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`HUB_EMULATOR_PORT must be an integer from 0 to 65535, got "${raw}"`)
  }
  return port
}

function accountLine(account: (typeof DEFAULT_ACCOUNTS)[number]): string {
  const traits: string[] = [account.role ?? 'write']
  if (account.canPay) traits.push('can pay')
  if (account.isPro) traits.push('PRO')
  for (const org of account.orgs ?? []) {
    traits.push(`${org.name}:${org.roleInOrg}${org.plan === undefined ? '' : `:${org.plan}`}`)
  }
  for (const entry of account.fineGrained?.scoped ?? []) {
    traits.push(`${entry.entity.type} ${entry.entity.name}: ${entry.permissions.join(' ')}`)
  }
  return `  ${account.name.padEnd(11)} ${account.token}  (${traits.join(', ')})`
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.HUB_EMULATOR_PORT)
  const hub = await startEmulator({ host: '127.0.0.1', port, accounts: DEFAULT_ACCOUNTS })
  hub.addSpace({
    id: DEMO_SPACE,
    sdk: 'gradio',
    stage: 'RUNNING',
    hardware: 'cpu-basic',
    trustedPublishers: [{ repository: 'acme/ci' }]
  })

  console.log(`Hub emulator listening on ${hub.url}`)
  console.log('Tokens:')
  for (const account of hub.accounts) console.log(accountLine(account))
  console.log('Keyless auth (GitHub OIDC stand-in, then POST /oauth/token):')
  console.log(`  ACTIONS_ID_TOKEN_REQUEST_URL=${hub.oidcRequestUrl}`)
  console.log(`  ACTIONS_ID_TOKEN_REQUEST_TOKEN=${hub.oidc.requestToken}`)
  console.log(
    `  claims: repository ${hub.oidc.claims.repository}, ref ${hub.oidc.claims.ref}; change them with PUT ${hub.url}/__emulator/oidc`
  )
  console.log(
    `Demo Space: ${DEMO_SPACE} (gradio, RUNNING on cpu-basic, trusted publisher acme/ci). Control API: ${hub.url}/__emulator`
  )

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(1)
    }
    stopping = true
    console.log(`Received ${signal}, shutting down`)
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Hub emulator failed to close:', error)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`Hub emulator failed to start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
