/**
 * `npm run bench`: the performance figures in the README. Not a test: it measures, prints a table and exits 0.
 * 1. Start-up: one `operation: runtime` read, process start to exit, against `node -e 0` on the same machine.
 * 2. Readiness: an upgrade that the emulated Hub makes ready 6 s after the request; how long after "ready" the step
 *    exits, and how many requests the whole step made.
 * BENCH_RUNS sets the repetitions (default 15 for start-up, 5 for readiness); HARNESS_NODE another Node binary.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator } from '../hub-emulator/index.js'
import { ROOT, startStep } from '../harness/runner.js'
import { DEFAULT_ACCOUNTS } from '../hub-emulator/index.js'

const runs = Number(process.env.BENCH_RUNS ?? 15)
const node = process.env.HARNESS_NODE ?? process.execPath
const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/eval-app'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

function timeNode(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    spawn(node, args, { stdio: 'ignore' })
      .on('error', reject)
      .on('close', () => resolve(Number(process.hrtime.bigint() - started) / 1e6))
  })
}

/** The floor for any action on @actions/core: a bundle, built like ours, that only imports it and logs a line. */
function buildCoreOnlyBundle(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-core-'))
  const entry = path.join(ROOT, 'src', `.bench-core-only-${process.pid}.ts`)
  writeFileSync(entry, "import * as core from '@actions/core'\ncore.info('x')\n")
  try {
    execFileSync(path.join(ROOT, 'node_modules/.bin/ncc'), ['build', entry, '-o', dir, '--minify', '--quiet'])
  } finally {
    execFileSync('rm', ['-f', entry])
  }
  return path.join(dir, 'index.js')
}
const coreOnly = buildCoreOnlyBundle()

const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
hub.addSpace({ id: SPACE })
const step = { inputs: { 'space-id': SPACE, endpoint: hub.url }, env: { HF_TOKEN: token } }

// Warm the file cache for both, so neither pays for the first read from disk.
await timeNode(['-e', '0'])
await timeNode([coreOnly])
await startStep('main', step).result
const bare: number[] = []
const core: number[] = []
const read: number[] = []
for (let i = 0; i < runs; i++) {
  bare.push(await timeNode(['-e', '0']))
  core.push(await timeNode([coreOnly]))
  const started = process.hrtime.bigint()
  const result = await startStep('main', step).result
  read.push(Number(process.hrtime.bigint() - started) / 1e6)
  if (result.exitCode !== 0) throw new Error(`runtime read failed:\n${result.stdout}`)
}

const upgradeRuns = Number(process.env.BENCH_RUNS ?? 5) > 5 ? 5 : Math.max(1, Math.min(5, runs))
const lag: number[] = []
const requests: number[] = []
for (let i = 0; i < upgradeRuns; i++) {
  const id = `acme/bench-${i}`
  hub.addSpace({ id, timings: { staleMs: 1000, buildMs: 3000, startMs: 2000 } })
  hub.clearRequests()
  const result = await startStep('main', {
    inputs: { 'space-id': id, operation: 'request-hardware', hardware: 't4-small', endpoint: hub.url },
    env: { HF_TOKEN: token }
  }).result
  const exited = Date.now()
  if (result.exitCode !== 0) throw new Error(`upgrade failed:\n${result.stdout}`)
  const requested = hub.requests().find(r => r.method === 'POST' && r.path.endsWith('/hardware'))?.at ?? NaN
  lag.push(exited - (requested + 6000))
  requests.push(hub.requests().length)
}
await hub.close()

const bareMs = median(bare)
const readMs = median(read)
console.log(
  `Node ${(await import('node:process')).version} (${node === process.execPath ? 'this Node' : node}), ${runs} runs, medians:\n`
)
console.log('| measure | result | goal |')
console.log('| --- | --- | --- |')
console.log(`| \`node -e 0\` | ${bareMs.toFixed(0)} ms | |`)
console.log(
  `| one runtime read, start to exit | ${readMs.toFixed(0)} ms = ${(readMs / bareMs).toFixed(2)}× \`node -e 0\` | < 1.8× |`
)
console.log(
  `| upgrade ready at 6 s: ready → step exit | ${median(lag).toFixed(0)} ms (max ${Math.max(...lag).toFixed(0)} ms) | < 1000 ms |`
)
console.log(
  `| a bundle that only imports \`@actions/core\`, for reference | ${median(core).toFixed(0)} ms = ${(median(core) / bareMs).toFixed(2)}× | |`
)
console.log(`| upgrade ready at 6 s: requests | ${median(requests)} (max ${Math.max(...requests)}) | ≤ 12 |`)
