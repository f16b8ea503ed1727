/**
 * `npm run bench:upload` (also the last part of `npm run bench`): 1,000 files, about 203 MB (980 text files of
 * 100 kB go inline, 20 binary files of 5 MiB through Git LFS), generated into a temporary folder and uploaded to the
 * emulator by the action and by the official JavaScript client, `@huggingface/hub` (tools/bench/hf-hub-upload.mjs),
 * and, when BENCH_HF_PYTHON names a Python that imports it, by huggingface_hub's `upload_folder`
 * (tools/bench/hf-python-upload.py), in interleaved rounds, each to a fresh Space: a first upload, then the same
 * folder again. Reports medians of wall time (process start to exit) and peak RSS (from /usr/bin/time).
 * BENCH_UPLOAD_ROUNDS sets the rounds (default 3).
 * Not a test: it only measures.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  DEFAULT_ACCOUNTS,
  startEmulator,
  type RunningEmulator
} from '../../packages/hub-emulator/src/index.js'
import { ROOT, startStep } from '../../test/harness/built-action.js'
import { BINARY_BYTES, BINARY_FILES, makeFolder, TEXT_FILES } from './folder.js'
import { median } from './stats.js'

const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const rounds = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3)
const python = process.env.BENCH_HF_PYTHON
const TIME = ['/usr/bin/time', '-f', 'peak-rss-kb=%M']

interface Run {
  ms: number
  peakMiB: number
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
  return measure(
    [process.execPath, path.join(ROOT, 'tools', 'bench', 'hf-hub-upload.mjs')],
    hub,
    space,
    folder
  )
}

/** huggingface_hub's upload_folder, when BENCH_HF_PYTHON names a Python that imports it (PYTHONPATH is passed on). */
function pythonClient(hub: RunningEmulator, space: string, folder: string): Promise<Run> {
  return measure(
    [python ?? '', path.join(ROOT, 'tools', 'bench', 'hf-python-upload.py')],
    hub,
    space,
    folder,
    {
      PYTHONPATH: process.env.PYTHONPATH ?? '',
      // The commit's URL is parsed against HF_ENDPOINT, not the endpoint given to HfApi.
      HF_ENDPOINT: hub.url,
      HF_HOME: mkdtempSync(path.join(tmpdir(), 'bench-hf-home-')),
      HF_HUB_DISABLE_PROGRESS_BARS: '1',
      HF_HUB_DISABLE_TELEMETRY: '1'
    }
  )
}

function measure(
  command: string[],
  hub: RunningEmulator,
  space: string,
  folder: string,
  extra: Record<string, string> = {}
): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    BENCH_HUB_URL: hub.url,
    BENCH_SPACE: space,
    BENCH_FOLDER: folder,
    HF_TOKEN: token,
    ...extra
  }
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(TIME[0] as string, [...TIME.slice(1), ...command], {
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject).on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`${path.basename(command[1] ?? '')} failed:\n${stderr}`))
      else resolve({ ms, peakMiB: peakMiB(stderr) })
    })
  })
}

/**
 * Deletes the Space through the Hub API, so that the emulator holds one uploaded folder at a time: 200 MB per Space
 * kept would make every later round slower (the emulator's garbage collector) for whichever client runs then.
 */
async function deleteSpace(hub: RunningEmulator, space: string): Promise<void> {
  const [organization, name] = space.split('/')
  const answer = await fetch(`${hub.url}/api/repos/delete`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'space', organization, name })
  })
  if (!answer.ok) throw new Error(`deleting ${space}: HTTP ${answer.status}`)
}

type Who = 'action' | 'hubjs' | 'python'
const contestants: Who[] = python ? ['action', 'hubjs', 'python'] : ['action', 'hubjs']
const upload = { action, hubjs: officialClient, python: pythonClient }
const folder = makeFolder()
const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
const runs = Object.fromEntries(
  contestants.map(who => [who, { first: [] as Run[], again: [] as Run[] }])
) as Record<Who, { first: Run[]; again: Run[] }>
let committed = ''
try {
  for (let round = 0; round < rounds; round++) {
    // Each round starts with another contestant, so that none always runs on a warm or a cold machine.
    const order = contestants.map((_, i) => contestants[(i + round) % contestants.length] as Who)
    for (const who of order) {
      const space = `acme/bench-${who}-${round}`
      hub.addSpace({ id: space, timings: { staleMs: 0, buildMs: 200, startMs: 100 } })
      runs[who].first.push(await upload[who](hub, space, folder))
      runs[who].again.push(await upload[who](hub, space, folder))
      if (who === 'action')
        committed = `${Object.keys(hub.space(space)?.files ?? {}).length} files in the Space`
      await deleteSpace(hub, space)
    }
  }
} finally {
  await hub.close()
  rmSync(folder, { recursive: true, force: true })
}

const wall = (list: Run[]): number => median(list.map(run => run.ms)) / 1000
const rss = (list: Run[]): number => median(list.map(run => run.peakMiB))
const others: [Who, string][] = [['hubjs', '`@huggingface/hub` uploadFiles']]
if (python) others.push(['python', 'huggingface_hub upload_folder'])
console.log(
  `\nUpload: 1,000 files, ${((TEXT_FILES * 100_000 + BINARY_FILES * BINARY_BYTES) / 1e6).toFixed(0)} MB (980 × 100 kB inline, ` +
    `20 × 5 MiB through LFS), ${rounds} interleaved rounds, medians, Node ${process.version}; ${committed}.\n` +
    `Command: ${python ? 'BENCH_HF_PYTHON=… ' : ''}npm run bench:upload\n`
)
console.log(`| upload | action | ${others.map(([, name]) => `${name} | action ÷ it`).join(' | ')} |`)
console.log(`| --- | --- | ${others.map(() => '--- | ---').join(' | ')} |`)
const rows = [
  ['first upload, wall', 'first', wall, 's', 2],
  ['unchanged re-upload, wall', 'again', wall, 's', 2],
  ['first upload, peak RSS', 'first', rss, 'MiB', 0],
  ['unchanged re-upload, peak RSS', 'again', rss, 'MiB', 0]
] as const
for (const [label, key, measureOf, unit, digits] of rows) {
  const a = measureOf(runs.action[key])
  const cells = others.map(([who]) => {
    const b = measureOf(runs[who][key])
    return `${b.toFixed(digits)} ${unit} | ${(a / b).toFixed(2)}×`
  })
  console.log(`| ${label} | ${a.toFixed(digits)} ${unit} | ${cells.join(' | ')} |`)
}
