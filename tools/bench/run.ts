/**
 * `npm run bench`: the performance figures in the README. Not a test: it measures, prints tables and exits 0; then
 * tools/bench/upload.ts runs (see the npm script).
 * 1. Start-up: one `operation: runtime` read, process start to exit, against `node -e 0`, both in the same minimal
 *    environment (PATH only, plus the runner's variables for the action), interleaved, median; on this Node and on
 *    BENCH_NODE24 when set, with NODE_EXTRA_CA_CERTS unset (as on GitHub-hosted runners) and, when this process has
 *    it, set.
 * 2. Readiness: an upgrade that the emulated Hub makes ready 6 s after the request; how long after "ready" the step
 *    exits, and how many requests the whole step made.
 * 3. A 30-minute build, simulated with src/wait/readiness.ts on a fake clock: 29 minutes of BUILDING, then a minute of
 *    APP_STARTING (an app loading its model); how many runtime reads the wait makes, and how late it sees RUNNING.
 * BENCH_RUNS sets the start-up repetitions (default 21), BENCH_UPGRADES the upgrades (default 3).
 */
import { spawn } from 'node:child_process'
import { startEmulator, DEFAULT_ACCOUNTS } from '../../packages/hub-emulator/src/index.js'
import { startStep } from '../../test/harness/built-action.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { runtime } from '../../test/support/runtimes.js'
import { waitFor } from '../../src/wait/readiness.js'
import type { Runtime } from '../../src/hub/types.js'
import { median } from './stats.js'

const runs = Number(process.env.BENCH_RUNS ?? 21)
const upgrades = Number(process.env.BENCH_UPGRADES ?? 3)
const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/eval-app'
const extraCa = process.env.NODE_EXTRA_CA_CERTS

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6
}

function bareNode(node: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    spawn(node, ['-e', '0'], { env, stdio: 'ignore' })
      .on('error', reject)
      .on('close', () => resolve(elapsedMs(started)))
  })
}

const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
hub.addSpace({ id: SPACE })

async function runtimeRead(node: string, env: Record<string, string>): Promise<number> {
  const started = process.hrtime.bigint()
  const result = await startStep('main', {
    inputs: { 'space-id': SPACE, endpoint: hub.url },
    env: { HF_TOKEN: token, ...env },
    node
  }).result
  if (result.exitCode !== 0) throw new Error(`runtime read failed:\n${result.stdout}${result.stderr}`)
  return elapsedMs(started)
}

interface StartupRow {
  label: string
  command: string
  bareMs: number
  readMs: number
}

async function startup(node: string, name: string, withCa: boolean): Promise<StartupRow> {
  const ca: Record<string, string> = withCa && extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}
  const env = { PATH: process.env.PATH ?? '', ...ca }
  // One of each first, so neither pays for the first read from disk.
  await bareNode(node, env)
  await runtimeRead(node, ca)
  const bare: number[] = []
  const read: number[] = []
  for (let i = 0; i < runs; i++) {
    bare.push(await bareNode(node, env))
    read.push(await runtimeRead(node, ca))
  }
  const caText = withCa ? 'NODE_EXTRA_CA_CERTS set' : 'NODE_EXTRA_CA_CERTS unset'
  return {
    label: `${name}, ${caText}`,
    command: `${node === process.execPath ? '' : 'BENCH_NODE24=… '}npm run bench`,
    bareMs: median(bare),
    readMs: median(read)
  }
}

const nodes: [string, string][] = [[process.execPath, `Node ${process.version}`]]
if (process.env.BENCH_NODE24) nodes.push([process.env.BENCH_NODE24, 'Node 24 (BENCH_NODE24)'])
const startupRows: StartupRow[] = []
for (const [node, name] of nodes) {
  startupRows.push(await startup(node, name, false))
  if (extraCa) startupRows.push(await startup(node, name, true))
}

const lag: number[] = []
const requests: number[] = []
const runtimeReads: number[] = []
const logStreams: number[] = []
for (let i = 0; i < upgrades; i++) {
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
  // The wait's reads, and the live log's: the emulator ends each log stream at once (the Hub holds it open), so
  // the log is asked again, 5 s apart (src/wait/live-log.ts).
  runtimeReads.push(hub.requests().filter(r => r.at > requested && r.path.endsWith('/runtime')).length)
  logStreams.push(hub.requests().filter(r => r.path.includes('/logs/')).length)
}
await hub.close()

/** An upgrade whose build takes 29 minutes, then a minute of APP_STARTING, then RUNNING; on a fake clock. */
async function longBuild(): Promise<{ reads: number; lateMs: number }> {
  const clock = new FakeClock()
  const since = clock.now()
  const BUILD_MS = 29 * 60_000
  const READY_MS = 30 * 60_000
  let reads = 0
  const at = (): Runtime => {
    const t = clock.now() - since
    if (t < BUILD_MS) return runtime('BUILDING', 'cpu-basic', 't4-small')
    if (t < READY_MS) return runtime('APP_STARTING', 't4-small')
    return runtime('RUNNING', 't4-small')
  }
  await waitFor(
    {
      spaceId: SPACE,
      target: { kind: 'running', hardware: 't4-small' },
      before: runtime('RUNNING', 'cpu-basic'),
      first: at(),
      since,
      timeoutMs: 60 * 60_000
    },
    {
      spaces: {
        runtime: () => {
          reads++
          return Promise.resolve(at())
        },
        logTail: () => Promise.resolve([])
      },
      clock,
      random: () => 0.5,
      rateLimit: () => undefined,
      info: () => undefined,
      warn: () => undefined
    }
  )
  return { reads, lateMs: clock.now() - since - READY_MS }
}
const build = await longBuild()

console.log(`Start-up, ${runs} interleaved runs each, medians:\n`)
console.log(
  '| one `runtime` read, process start → exit | `node -e 0` | read | ÷ `node -e 0` | goal | command |'
)
console.log('| --- | --- | --- | --- | --- | --- |')
for (const row of startupRows) {
  console.log(
    `| ${row.label} | ${row.bareMs.toFixed(0)} ms | ${row.readMs.toFixed(0)} ms | ` +
      `${(row.readMs / row.bareMs).toFixed(2)}× | ≤ 2.5× on Node 24 | \`${row.command}\` |`
  )
}
console.log(`\nWaiting, Node ${process.version}:\n`)
console.log('| measure | result | goal | command |')
console.log('| --- | --- | --- | --- |')
console.log(
  `| upgrade ready at 6 s: ready → step exit (${upgrades} runs) | ${median(lag).toFixed(0)} ms median, ` +
    `${Math.max(...lag).toFixed(0)} ms max | ≤ 500 ms | \`npm run bench\` |`
)
console.log(
  `| upgrade ready at 6 s: requests of the whole step | ${median(requests)} median, ${Math.max(...requests)} max ` +
    `(after the request: ${median(runtimeReads)} runtime reads; live log: ${median(logStreams)} streams) ` +
    '| ≤ 12 | `npm run bench` |'
)
console.log(
  `| 30-minute build (29 min BUILDING, 1 min APP_STARTING; simulated, fake clock): runtime reads | ${build.reads}, ready noticed ` +
    `${(build.lateMs / 1000).toFixed(1)} s late | ≤ 150 | \`npm run bench\` |`
)
