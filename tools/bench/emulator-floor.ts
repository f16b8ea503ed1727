/**
 * `npm run bench:floor`: what the emulator itself costs in the upload of tools/bench/upload.ts, measured with a
 * client that does nothing else: the 131 MB commit body of the 980 inline files, prepared in memory and written in
 * 1 MiB chunks, and the 20 LFS objects of 5 MiB, put four at a time. No client can upload that folder faster than
 * these figures add up to. Not a test: it only measures (medians of BENCH_FLOOR_ROUNDS, default 3).
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import {
  DEFAULT_ACCOUNTS,
  startEmulator,
  type RunningEmulator
} from '../../packages/hub-emulator/src/index.js'
import { inParallel } from '../../src/parallel.js'
import { binaryContents, textFile, TEXT_FILES } from './folder.js'
import { median } from './stats.js'

const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const rounds = Number(process.env.BENCH_FLOOR_ROUNDS ?? 3)

function send(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: headers.method ?? 'POST', headers }, res => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve(text))
    })
    req.on('error', reject)
    let next = 0
    const write = (): void => {
      while (next < chunks.length) if (!req.write(chunks[next++])) return void req.once('drain', write)
      req.end()
    }
    write()
  })
}

function commitBody(): Buffer[] {
  const lines = [`${JSON.stringify({ key: 'header', value: { summary: 'Floor' } })}\n`]
  for (let i = 0; i < TEXT_FILES; i++) {
    const { path, content } = textFile(i)
    lines.push(
      `{"key":"file","value":{"content":"${Buffer.from(content).toString('base64')}","path":"${path}","encoding":"base64"}}\n`
    )
  }
  const body = Buffer.from(lines.join(''))
  return Array.from({ length: Math.ceil(body.length / 2 ** 20) }, (_, i) =>
    body.subarray(i * 2 ** 20, (i + 1) * 2 ** 20)
  )
}

async function lfs(hub: RunningEmulator, space: string): Promise<number> {
  const blobs = binaryContents()
  const objects = blobs.map(blob => ({
    oid: createHash('sha256').update(blob).digest('hex'),
    size: blob.length
  }))
  const batch = JSON.parse(
    await send(
      `${hub.url}/spaces/${space}.git/info/lfs/objects/batch`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.git-lfs+json' },
      [
        Buffer.from(
          JSON.stringify({ operation: 'upload', transfers: ['basic'], objects, hash_algo: 'sha256' })
        )
      ]
    )
  ) as { objects: { actions: { upload: { href: string; header?: Record<string, string> } } }[] }
  const started = performance.now()
  await inParallel([...blobs.keys()], 4, async i => {
    const upload = batch.objects[i]?.actions.upload
    if (upload) await send(upload.href, { method: 'PUT', ...upload.header }, [blobs[i] as Buffer])
  })
  return performance.now() - started
}

const body = commitBody()
const size = body.reduce((sum, chunk) => sum + chunk.length, 0)
const receive: number[] = []
const apply: number[] = []
const objects: number[] = []
const hub = await startEmulator({ rateLimit: { quota: 100_000, windowSeconds: 300 } })
try {
  for (let round = 0; round < rounds; round++) {
    const space = `acme/floor-${round}`
    hub.addSpace({ id: space })
    objects.push(await lfs(hub, space))
    const started = Date.now()
    await send(
      `${hub.url}/api/spaces/${space}/commit/main`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body
    )
    const ended = Date.now()
    // The emulator's clock is the wall clock here; a request's `at` is when its whole body had arrived.
    const arrived = hub.requests().find(r => r.path === `/api/spaces/${space}/commit/main`)?.at ?? NaN
    receive.push(arrived - started)
    apply.push(ended - arrived)
  }
} finally {
  await hub.close()
}
console.log(`\nThe emulator's own share of the upload, ${rounds} rounds, medians, Node ${process.version}:\n`)
console.log('| part | time | command |')
console.log('| --- | --- | --- |')
console.log(
  `| 20 LFS objects of 5 MiB, 4 at a time | ${(median(objects) / 1000).toFixed(2)} s | \`npm run bench:floor\` |`
)
console.log(
  `| receiving a ${(size / 1e6).toFixed(0)} MB commit body | ${(median(receive) / 1000).toFixed(2)} s | \`npm run bench:floor\` |`
)
console.log(
  `| applying that commit and answering | ${(median(apply) / 1000).toFixed(2)} s | \`npm run bench:floor\` |`
)
