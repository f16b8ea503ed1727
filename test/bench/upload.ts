/**
 * `npm run bench:upload`: uploads 1,000 files totalling about 200 MB (980 text files of 100 KB go inline, 20 binary
 * files of 5 MB go through Git LFS) to the emulator, and reports the step's time and the action process's peak memory
 * (from /usr/bin/time). Then uploads the same folder again, which must make no commit. Not a test: it only measures.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEFAULT_ACCOUNTS, startEmulator } from '../hub-emulator/index.js'
import { startStep, type StepResult } from '../harness/runner.js'

const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/bench-upload'

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

const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
hub.addSpace({ id: SPACE, timings: { staleMs: 0, buildMs: 200, startMs: 100 } })

async function run(): Promise<StepResult> {
  const result = await startStep('main', {
    inputs: { 'space-id': SPACE, operation: 'upload', folder, endpoint: hub.url, wait: 'false' },
    env: { HF_TOKEN: token },
    prefix: ['/usr/bin/time', '-f', 'peak-rss-kb=%M']
  }).result
  if (result.exitCode !== 0) throw new Error(`upload failed:\n${result.stdout}\n${result.stderr}`)
  return result
}

function peakMb(result: StepResult): number {
  return Number(/peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024
}

const first = await run()
const files = Object.keys(hub.space(SPACE)?.files ?? {}).length
const second = await run()
await hub.close()
rmSync(folder, { recursive: true, force: true })

console.log(
  `1,000 files, ${(980 * 100_000 + 20 * 5 * 1024 * 1024) / 1e6} MB (980 × 100 kB inline, 20 × 5 MiB through LFS):\n`
)
console.log('| upload | time | peak RSS of the action | commit |')
console.log('| --- | --- | --- | --- |')
console.log(
  `| first | ${(first.durationMs / 1000).toFixed(1)} s | ${peakMb(first).toFixed(0)} MB | ${first.outputs.committed} (${files} files in the Space) |`
)
console.log(
  `| again, unchanged | ${(second.durationMs / 1000).toFixed(1)} s | ${peakMb(second).toFixed(0)} MB | ${second.outputs.committed} |`
)
