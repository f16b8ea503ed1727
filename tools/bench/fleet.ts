/**
 * `npm run bench:fleet`: one step over 100 Spaces against the emulator, the figures in the README. Not a test: it
 * measures, prints a table and exits 0. For `operation: runtime` and `pause` on `acme/*`, and a sequential baseline
 * of one step per Space (what a shell loop or a matrix does): requests sent, the most requests open at once, and
 * wall time from process start to exit. The emulator answers every pause 50 ms late, standing in for the Hub's
 * latency, so the overlap of the four workers shows. FLEET_SIZE sets the number of Spaces (default 100).
 */
import { DEFAULT_ACCOUNTS, startEmulator } from '../../packages/hub-emulator/src/index.js'
import { startStep } from '../../test/harness/built-action.js'

const size = Number(process.env.FLEET_SIZE ?? 100)
const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const LATENCY_MS = 50

const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
const ids = Array.from({ length: size }, (_, i) => `acme/bench-${String(i + 1).padStart(3, '0')}`)
for (const id of ids) hub.addSpace({ id })
hub.fault({ path: /\/(pause|runtime)$/, kind: 'delay', delayMs: LATENCY_MS, times: Infinity })

async function measure(
  inputs: Record<string, string>
): Promise<{ ms: number; requests: number; peak: number }> {
  hub.clearRequests()
  const started = process.hrtime.bigint()
  const result = await startStep('main', {
    inputs: { endpoint: hub.url, ...inputs },
    env: { HF_TOKEN: token }
  }).result
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.exitCode !== 0) throw new Error(`${inputs.operation ?? ''} failed:\n${result.stdout}`)
  return { ms, requests: hub.requests().length, peak: hub.peakInFlight() }
}

const rows: [string, { ms: number; requests: number; peak: number }][] = []
rows.push([`runtime, space-id: acme/* (${size} Spaces)`, await measure({ 'space-id': 'acme/*' })])
rows.push([
  `pause, space-id: acme/* (${size} Spaces)`,
  await measure({ 'space-id': 'acme/*', operation: 'pause' })
])
// The same pauses done one step per Space, on Spaces that are running again.
for (const id of ids) hub.updateSpace(id, { stage: 'RUNNING' })
const loop = { ms: 0, requests: 0, peak: 0 }
for (const id of ids) {
  const one = await measure({ 'space-id': id, operation: 'pause' })
  loop.ms += one.ms
  loop.requests += one.requests
  loop.peak = Math.max(loop.peak, one.peak)
}
rows.push([`pause, one step per Space (${size} steps in a row)`, loop])
await hub.close()

console.log(
  `Node ${process.version}, ${size} Spaces, every pause and runtime read answered ${LATENCY_MS} ms late:\n`
)
console.log('| step | requests | most in flight | wall time |')
console.log('| --- | --- | --- | --- |')
for (const [name, r] of rows)
  console.log(`| ${name} | ${r.requests} | ${r.peak} | ${(r.ms / 1000).toFixed(1)} s |`)
