import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { OWNER_TOKEN, SPACE, useInProcessHub } from './in-process.js'

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

  it("names the GitHub run in the commit from the step's environment, not the process's", async () => {
    await t.run(
      { 'space-id': SPACE, operation: 'upload', folder, wait: 'false' },
      {
        HF_TOKEN: OWNER_TOKEN,
        GITHUB_REPOSITORY: 'acme/ci',
        GITHUB_SHA: 'abcdef0123456789',
        GITHUB_RUN_ID: '42'
      }
    )
    expect(t.hub.space(SPACE)?.commits.at(-1)).toMatchObject({
      title: 'Upload from acme/ci@abcdef0',
      description: 'Uploaded by https://github.com/acme/ci/actions/runs/42'
    })
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
    expect(run.planned?.map(w => `${w.method} ${w.path}`)).toEqual([
      "PUT 1 LFS object(s) to the Hub's storage",
      `POST /api/spaces/${SPACE}/commit/main`
    ])
    expect(run.result).toMatchObject({ changed: false, summary: 'Dry run: no commit was made.' })
    expect(run.result.commit).toBeUndefined()
  })
})
