/**
 * `npm run bench:upload` (also the last part of `npm run bench`): 1,000 files, about 203 MB (980 text files of
 * 100 kB go inline, 20 binary files of 5 MiB through Git LFS), generated into a temporary folder and uploaded to the
 * emulator by the action and by the official JavaScript client, `@huggingface/hub` (tools/bench/hf-hub-upload.mjs),
 * in interleaved rounds, each to a fresh Space: a first upload, then the same folder again. Reports medians of wall
 * time (process start to exit) and peak RSS (from /usr/bin/time). BENCH_UPLOAD_ROUNDS sets the rounds (default 3).
 * Not a test: it only measures.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  DEFAULT_ACCOUNTS,
  startEmulator,
  type RunningEmulator
} from '../../packages/hub-emulator/src/index.js'
import { ROOT, startStep } from '../../test/harness/built-action.js'
import { median } from './stats.js'

const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const rounds = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3)
const TIME = ['/usr/bin/time', '-f', 'peak-rss-kb=%M']

interface Run {
  ms: number
  peakMiB: number
}

function makeFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-upload-'))
  const line = 'The quick brown fox jumps over the lazy dog, again and again, for a benchmark.\n'
  const text = line.repeat(Math.ceil(100_000 / line.length)).slice(0, 100_000)
  for (let i = 0; i < 980; i++) {
    const dir = path.join(folder, `module${Math.floor(i / 50)}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, `file${i}.py`), `# ${i}\n${text}`)
  }
  mkdirSync(path.join(folder, 'weights'))
  for (let i = 0; i < 20; i++)
    writeFileSync(path.join(folder, 'weights', `shard${i}.bin`), randomBytes(5 * 1024 * 1024))
  return folder
}

function peakMiB(stderr: string): number {
  return Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024
}

async function action(hub: RunningEmulator, space: string, folder: string): Promise<Run> {
  const started = process.hrtime.bigint()
  const result = await startStep('main', {
    inputs: { 'space-id': space, operation: 'upload', folder, endpoint: hub.url, wait: 'false' },
    env: { HF_TOKEN: token },
    prefix: TIME
  }).result
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.exitCode !== 0) throw new Error(`upload failed:\n${result.stdout}\n${result.stderr}`)
  return { ms, peakMiB: peakMiB(result.stderr) }
}

function officialClient(hub: RunningEmulator, space: string, folder: string): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    BENCH_HUB_URL: hub.url,
    BENCH_SPACE: space,
    BENCH_FOLDER: folder,
    HF_TOKEN: token
  }
  const script = path.join(ROOT, 'tools', 'bench', 'hf-hub-upload.mjs')
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(TIME[0] as string, [...TIME.slice(1), process.execPath, script], {
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject).on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`@huggingface/hub upload failed:\n${stderr}`))
      else resolve({ ms, peakMiB: peakMiB(stderr) })
    })
  })
}

const folder = makeFolder()
const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
const runs = {
  action: { first: [] as Run[], again: [] as Run[] },
  hubjs: { first: [] as Run[], again: [] as Run[] }
}
let committed = ''
try {
  for (let round = 0; round < rounds; round++) {
    for (const who of round % 2 ? (['hubjs', 'action'] as const) : (['action', 'hubjs'] as const)) {
      const space = `acme/bench-${who}-${round}`
      hub.addSpace({ id: space, timings: { staleMs: 0, buildMs: 200, startMs: 100 } })
      const upload = who === 'action' ? action : officialClient
      runs[who].first.push(await upload(hub, space, folder))
      runs[who].again.push(await upload(hub, space, folder))
      if (who === 'action')
        committed = `${Object.keys(hub.space(space)?.files ?? {}).length} files in the Space`
    }
  }
} finally {
  await hub.close()
  rmSync(folder, { recursive: true, force: true })
}

const wall = (list: Run[]): number => median(list.map(run => run.ms)) / 1000
const rss = (list: Run[]): number => median(list.map(run => run.peakMiB))
console.log(
  `\nUpload: 1,000 files, ${((980 * 100_000 + 20 * 5 * 1024 * 1024) / 1e6).toFixed(0)} MB (980 × 100 kB inline, ` +
    `20 × 5 MiB through LFS), ${rounds} interleaved rounds, medians, Node ${process.version}; ${committed}.\n` +
    'Command: npm run bench:upload\n'
)
console.log('| upload | action | `@huggingface/hub` uploadFiles | action ÷ hub |')
console.log('| --- | --- | --- | --- |')
for (const [label, key] of [
  ['first upload, wall', 'first'],
  ['unchanged re-upload, wall', 'again']
] as const) {
  const a = wall(runs.action[key])
  const h = wall(runs.hubjs[key])
  console.log(`| ${label} | ${a.toFixed(2)} s | ${h.toFixed(2)} s | ${(a / h).toFixed(2)}× |`)
}
for (const [label, key] of [
  ['first upload, peak RSS', 'first'],
  ['unchanged re-upload, peak RSS', 'again']
] as const) {
  const a = rss(runs.action[key])
  const h = rss(runs.hubjs[key])
  console.log(`| ${label} | ${a.toFixed(0)} MiB | ${h.toFixed(0)} MiB | ${(a / h).toFixed(2)}× |`)
}
