/**
 * Upload never deletes what should stay and never uploads what is not the folder's: gitignore-style patterns mean
 * what git means, a file swapped between the walk and the read is refused, and a problem names its file.
 */
import { mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { errors, folder, runStep, SPACE, startStep, useHub, type Fixture } from './fixture.js'

const APP = 'import gradio as gr\n'
const timings = { staleMs: 100, buildMs: 200, startMs: 100 }
const MIRROR = 'acme/mirror'
const SECRET = 'PRIVATE KEY 0123456789 never to be uploaded'

function remoteFiles(t: Fixture, id: string): string[] {
  return Object.keys(t.hub.space(id)?.files ?? {}).sort()
}

/** No request the Hub or its storage received carries the text, as such or base64-encoded. */
function expectNeverSent(t: Fixture, text: string): void {
  const forms = [text, Buffer.from(text).toString('base64')]
  const bodies = t.hub.requests().map(r => r.body)
  expect(bodies.filter(body => forms.some(form => body.includes(form)))).toEqual([])
}

const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.alloc(2048, 7)])

describe('delete and ignore with .gitignore semantics', () => {
  const t = useHub([
    { id: SPACE, timings },
    {
      id: MIRROR,
      timings,
      files: {
        '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
        'README.md': '---\nsdk: gradio\n---\n',
        'app.py': 'old',
        'a.csv': 'a',
        'keep.csv': 'k',
        'debug.log': 'remote log',
        'stale.txt': 's',
        'data/old.csv': 'o',
        'data/new.csv': 'n',
        'data/other.csv': 'x'
      }
    }
  ])
  // What is committed is the point here, not readiness: the commit wait has tests of its own (deploy-truth).
  const upload = (inputs: Record<string, string>, files: Record<string, string>) =>
    runStep(
      'main',
      t.step({ 'space-id': MIRROR, operation: 'upload', folder: folder(files), wait: 'false', ...inputs })
    )

  it('! re-includes in delete: only the matching files the folder lacks go', async () => {
    const main = await upload({ delete: '*.csv\n!keep.csv' }, { 'app.py': APP })
    expect(main.exitCode).toBe(0)
    expect(remoteFiles(t, MIRROR)).toEqual([
      '.gitattributes',
      'README.md',
      'app.py',
      'debug.log',
      'keep.csv',
      'stale.txt'
    ])
  })

  it('! re-includes in ignore, and a file in the folder is never deleted, ignored or not', async () => {
    const main = await upload(
      { ignore: '*.log\n!keep.log', delete: '*' },
      { 'app.py': APP, 'debug.log': 'local log', 'keep.log': 'kept' }
    )
    expect(main.exitCode).toBe(0)
    expect(remoteFiles(t, MIRROR)).toEqual(['.gitattributes', 'README.md', 'app.py', 'debug.log', 'keep.log'])
    expect(t.hub.fileContent(MIRROR, 'app.py')?.toString()).toBe(APP)
    // The ignored local file was neither uploaded nor allowed to delete its remote namesake.
    expect(t.hub.fileContent(MIRROR, 'debug.log')?.toString()).toBe('remote log')
  })

  it('takes brace patterns whole: the list is split on new lines only', async () => {
    const main = await upload({ delete: 'data/{old,new}.csv' }, { 'app.py': APP })
    expect(main.exitCode).toBe(0)
    const data = remoteFiles(t, MIRROR).filter(p => p.startsWith('data/'))
    expect(data).toEqual(['data/other.csv'])
  })

  it('finds nothing to delete under a path-in-repo that does not exist yet', async () => {
    const main = await upload(
      { 'path-in-repo': 'docs', delete: '*', wait: 'false' },
      { 'index.md': '# docs' }
    )
    expect(main.exitCode).toBe(0)
    expect(remoteFiles(t, MIRROR)).toContain('docs/index.md')
    expect(remoteFiles(t, MIRROR)).toContain('stale.txt')
  })
})

describe('files change between the walk and the read', () => {
  const t = useHub([{ id: SPACE, timings }])
  const outside = (): string => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hf-secret-')), 'id_rsa')
    writeFileSync(file, SECRET)
    return file
  }

  /** Starts an upload, holds it at `hold`, lets `swap` change the folder, and returns the finished step. */
  async function swapDuring(
    holdPath: string,
    files: Record<string, string | Buffer>,
    swap: (dir: string) => void
  ) {
    const dir = folder(files)
    const hold = t.hub.hold({ method: 'POST', path: holdPath })
    const step = startStep('main', t.step({ 'space-id': SPACE, operation: 'upload', folder: dir }))
    await hold.arrived
    swap(dir)
    hold.release()
    return step.result
  }

  it('refuses a file swapped for a symbolic link before it is hashed', async () => {
    const head = t.hub.space(SPACE)?.head
    const main = await swapDuring(`/api/spaces/${SPACE}/preupload/main`, { 'app.py': APP }, dir => {
      rmSync(path.join(dir, 'app.py'))
      symlinkSync(outside(), path.join(dir, 'app.py'))
    })
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('Cannot read app.py in the upload folder')
    expect(errors(main)[0]).not.toContain('bug in the action')
    expect(t.hub.space(SPACE)?.head).toBe(head)
    expectNeverSent(t, SECRET)
  })

  it('refuses a file swapped for a link while the commit body is read (inline base64)', async () => {
    const head = t.hub.space(SPACE)?.head
    const main = await swapDuring(
      `/spaces/${SPACE}.git/info/lfs/objects/batch`,
      { 'app.py': APP, 'logo.png': binary },
      dir => {
        rmSync(path.join(dir, 'app.py'))
        symlinkSync(outside(), path.join(dir, 'app.py'))
      }
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain(
      'Cannot read app.py in the upload folder: it became a symbolic link after the folder was read.'
    )
    expect(t.hub.space(SPACE)?.head).toBe(head)
    expectNeverSent(t, SECRET)
  })

  it('refuses an LFS file replaced by another one of the same size', async () => {
    const head = t.hub.space(SPACE)?.head
    const other = Buffer.from(SECRET.padEnd(binary.length, '!'))
    const main = await swapDuring(
      `/spaces/${SPACE}.git/info/lfs/objects/batch`,
      { 'logo.png': binary },
      dir => {
        writeFileSync(path.join(dir, 'new.png'), other)
        renameSync(path.join(dir, 'new.png'), path.join(dir, 'logo.png'))
      }
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('Refusing to upload logo.png: it was replaced by another file')
    expect(t.hub.space(SPACE)?.head).toBe(head)
    expect(t.hub.requests().filter(r => r.method === 'PUT')).toEqual([])
  })

  it('names a file that disappeared, instead of calling it a bug in the action', async () => {
    const main = await swapDuring(`/api/spaces/${SPACE}/preupload/main`, { 'app.py': APP }, dir =>
      rmSync(path.join(dir, 'app.py'))
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain(
      'Cannot read app.py in the upload folder: it was removed while the step ran.'
    )
  })
})

describe('folder', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('may be a symbolic link to a folder', async () => {
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'hf-link-')), 'site')
    symlinkSync(folder({ 'app.py': APP }), link)
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'upload', folder: link, wait: 'false' })
    )
    expect(main.exitCode).toBe(0)
    expect(t.hub.fileContent(SPACE, 'app.py')?.toString()).toBe(APP)
  })
})
