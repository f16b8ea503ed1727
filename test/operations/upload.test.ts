import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('upload, in process', () => {
  const t = useInProcessHub([{ id: SPACE, timings: { buildMs: 30_000, startMs: 2_000 } }])
  let folder = ''
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'upload-in-process-'))
    await mkdir(path.join(folder, 'data'))
    await writeFile(path.join(folder, 'app.py'), 'import gradio\n')
    await writeFile(path.join(folder, 'data', 'model.bin'), Buffer.alloc(64 * 1024, 7))
  })
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('commits the folder once and ends only when the Space serves that commit', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'upload', folder })
    const sha = run.result.commit?.sha ?? ''
    expect(run.result.commit).toMatchObject({ committed: true })
    expect(t.hub.space(SPACE)?.head).toBe(sha)
    expect(t.hub.space(SPACE)?.sha).toBe(sha)
    expect(t.hub.fileContent(SPACE, 'app.py')?.toString()).toBe('import gradio\n')
    expect(run.writes.filter(w => w.includes('/commit/main'))).toHaveLength(1)
  })

  it('makes no commit when nothing changed', async () => {
    await t.run({ 'space-id': SPACE, operation: 'upload', folder })
    const again = await t.run({ 'space-id': SPACE, operation: 'upload', folder })
    expect(again.result.commit).toMatchObject({ committed: false })
    expect(again.writes.filter(w => w.includes('/commit/'))).toEqual([])
  })

  it('without a wait, reads the runtime only once when nothing changed: the read before is the answer', async () => {
    await t.run({ 'space-id': SPACE, operation: 'upload', folder, wait: 'false' })
    t.hub.clearRequests()
    const again = await t.run({ 'space-id': SPACE, operation: 'upload', folder, wait: 'false' })
    expect(again.result.commit).toMatchObject({ committed: false })
    expect(t.hub.requests().filter(r => r.path.endsWith('/runtime'))).toHaveLength(1)
  })

  it('with dry-run, records the commit and sends no write', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'upload', folder, 'dry-run': 'true' })
    expect(run.writes.filter(w => !w.includes('/preupload/'))).toEqual([])
  })
})
