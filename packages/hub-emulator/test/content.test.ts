/**
 * The content of a Space: seeding, preupload, commit (NDJSON and JSON), tree, resolve (ranges, raw), revision,
 * paths-info, refs and branches. official-client.test.ts drives the same routes with @huggingface/hub.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  blobSha1,
  DEFAULT_GITATTRIBUTES,
  DEFAULT_TIMINGS,
  FakeClock,
  LFS_THRESHOLD_BYTES,
  PARENT_COMMIT_CONFLICT,
  startEmulator,
  type Emulator
} from '../src/index.js'
import { call, obj, TOKENS } from './helpers.js'

const ID = 'acme/app'
let clock: FakeClock
let hub: Emulator

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
})

afterEach(async () => {
  await hub.close()
})

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64')
const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex')

/** NDJSON as huggingface_hub frames it: one object per line, the last line ended by `\n`. */
function ndjson(lines: unknown[], eol = '\n', trailing = true): string {
  return lines.map(line => JSON.stringify(line)).join(eol) + (trailing ? eol : '')
}

const headerLine = (summary: string, extra: Record<string, unknown> = {}) => ({
  key: 'header',
  value: { summary, description: '', ...extra }
})
const fileLine = (path: string, content: string | Buffer) => ({
  key: 'file',
  value: { content: b64(content), path, encoding: 'base64' }
})

function commit(
  body: string,
  options: { id?: string; rev?: string; query?: string; type?: string; token?: string } = {}
) {
  const rev = encodeURIComponent(options.rev ?? 'main')
  return call(hub.url, 'POST', `/api/spaces/${options.id ?? ID}/commit/${rev}${options.query ?? ''}`, {
    token: options.token ?? TOKENS.acme,
    body,
    headers: { 'Content-Type': options.type ?? 'application/x-ndjson' }
  })
}

function preupload(body: unknown, options: { id?: string; rev?: string; token?: string } = {}) {
  return call(
    hub.url,
    'POST',
    `/api/spaces/${options.id ?? ID}/preupload/${encodeURIComponent(options.rev ?? 'main')}`,
    {
      token: options.token ?? TOKENS.acme,
      body
    }
  )
}

/** A preupload entry for `content` as huggingface_hub sends it: base64 of the first 512 bytes, and the size. */
function entry(path: string, content: Buffer | string, size?: number) {
  const bytes = Buffer.from(content)
  return { path, sample: bytes.subarray(0, 512).toString('base64'), size: size ?? bytes.length }
}

describe('the content of a new Space', () => {
  it('seeds a gradio Space with the Hub default .gitattributes and README, in one initial commit', () => {
    hub.addSpace({ id: ID })
    const view = hub.space(ID)!
    expect(Object.keys(view.files)).toEqual(['.gitattributes', 'README.md'])
    const attributes = hub.fileContent(ID, '.gitattributes')!.toString()
    expect(attributes).toBe(DEFAULT_GITATTRIBUTES)
    const lines = attributes.trimEnd().split('\n')
    expect(lines).toHaveLength(35)
    expect(lines[0]).toBe('*.7z filter=lfs diff=lfs merge=lfs -text')
    for (const pattern of ['*.bin', '*.pt', '*.safetensors', '*.zip', 'saved_model/**/*', '*tfevents*']) {
      expect(lines).toContain(`${pattern} filter=lfs diff=lfs merge=lfs -text`)
    }
    for (const pattern of ['*.png', '*.jpg', '*.mp3']) expect(attributes).not.toContain(pattern)
    expect(hub.fileContent(ID, 'README.md')!.toString()).toMatch(
      /^---\ntitle: app\nemoji: 🚀\ncolorFrom: blue\ncolorTo: red\nsdk: gradio\npinned: false\n---\n/
    )
    expect(view.commits).toEqual([
      {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        title: 'initial commit',
        description: '',
        parent: null,
        date: '2026-01-01T00:00:00.000Z',
        author: 'acme',
        ref: 'main',
        files: ['.gitattributes', 'README.md']
      }
    ])
    expect([view.sha, view.head, view.info.sha]).toEqual([
      view.commits[0]!.sha,
      view.commits[0]!.sha,
      view.commits[0]!.sha
    ])
    expect(view.files['README.md']).toEqual({
      size: hub.fileContent(ID, 'README.md')!.length,
      lfs: false,
      sha: blobSha1(hub.fileContent(ID, 'README.md')!)
    })
  })

  it('seeds a static Space with index.html and style.css too, and gives different Spaces different commits', () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static' })
    hub.addSpace({ id: ID })
    expect(Object.keys(hub.space('acme/site')!.files)).toEqual([
      '.gitattributes',
      'README.md',
      'index.html',
      'style.css'
    ])
    expect(hub.fileContent('acme/site', 'README.md')!.toString()).toContain('\nsdk: static\n')
    expect(hub.space('acme/site')!.sha).not.toBe(hub.space(ID)!.sha)
  })

  it('replaces the defaults with SpaceSpec.files, storing binary and tracked files in LFS', () => {
    const weights = Buffer.from([0, 1, 2, 3, 4])
    hub.addSpace({
      id: ID,
      sha: 'a'.repeat(40),
      files: {
        '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
        'app.py': 'print("hi")\n',
        'model.bin': 'not binary, but tracked',
        'data/blob.dat': weights
      }
    })
    const view = hub.space(ID)!
    expect(view.files).toEqual({
      '.gitattributes': { size: 42, lfs: false, sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
      'app.py': { size: 12, lfs: false, sha: blobSha1(Buffer.from('print("hi")\n')) },
      'data/blob.dat': { size: 5, lfs: true, sha: sha256(weights) },
      'model.bin': { size: 23, lfs: true, sha: sha256(Buffer.from('not binary, but tracked')) }
    })
    expect([view.sha, view.head]).toEqual(['a'.repeat(40), 'a'.repeat(40)])
    expect(hub.fileContent(ID, 'data/blob.dat')).toEqual(weights)
    expect(() => hub.updateSpace(ID, { files: {} })).toThrow(/files/)
    expect(() => hub.addSpace({ id: 'acme/bad', files: { '../x': '' } })).toThrow(/files/)
  })

  it('commits the files of repos/create with the defaults', async () => {
    const created = await call(hub.url, 'POST', '/api/repos/create', {
      token: TOKENS.acme,
      body: {
        name: 'made',
        organization: 'acme-org',
        type: 'space',
        sdk: 'static',
        files: [{ path: 'index.html', content: b64('<h1>mine</h1>'), encoding: 'base64' }]
      }
    })
    expect(created.status).toBe(200)
    expect(hub.fileContent('acme-org/made', 'index.html')!.toString()).toBe('<h1>mine</h1>')
    expect(hub.space('acme-org/made')!.commits).toHaveLength(1)
    const bad = await call(hub.url, 'POST', '/api/repos/create', {
      token: TOKENS.acme,
      body: {
        name: 'bad',
        organization: 'acme-org',
        type: 'space',
        sdk: 'static',
        files: [{ path: 'a', content: '!!', encoding: 'base64' }]
      }
    })
    expect(bad.status).toBe(400)
  })
})

describe('duplicate', () => {
  it('copies the history of main and the LFS objects, not the PR refs', async () => {
    const weights = Buffer.from([0, 1, 2])
    hub.addSpace({ id: ID, files: { 'app.py': 'x', 'w.bin': weights } })
    await commit(ndjson([headerLine('second'), fileLine('b.txt', 'b')]))
    await commit(ndjson([headerLine('PR'), fileLine('c.txt', 'c')]), { query: '?create_pr=1' })
    const answer = await call(hub.url, 'POST', `/api/spaces/${ID}/duplicate`, {
      token: TOKENS.acme,
      body: { repository: 'acme/copy' }
    })
    expect(answer.status).toBe(200)
    const source = hub.space(ID)!
    const copy = hub.space('acme/copy')!
    expect([copy.head, copy.sha, copy.files]).toEqual([source.head, source.head, source.files])
    expect(copy.commits.map(c => c.title)).toEqual(['initial commit', 'second'])
    expect(copy.pullRequests).toEqual([])
    expect(hub.fileContent('acme/copy', 'w.bin')).toEqual(weights)
  })
})

describe('POST /api/spaces/{id}/preupload/{rev}', () => {
  beforeEach(() => {
    hub.addSpace({
      id: ID,
      files: {
        '.gitattributes': DEFAULT_GITATTRIBUTES,
        '.gitignore': '*.log\n!keep.log\nbuild/\n/root-only.txt\ncache/**/tmp\n',
        'app.py': 'import gradio\n',
        'weights.pt': 'tracked by .gitattributes'
      }
    })
  })

  it('answers regular or lfs, shouldIgnore and oid in the recorded key order', async () => {
    const big = LFS_THRESHOLD_BYTES + 1
    const answer = await preupload({
      files: [
        entry('app.py', 'import gradio as gr\n'),
        entry('weights.pt', 'tracked by .gitattributes'),
        entry('new.safetensors', 'x'),
        entry('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
        entry('large.txt', 'a'.repeat(512), big),
        entry('limit.txt', 'a'.repeat(512), LFS_THRESHOLD_BYTES),
        entry('empty.bin', ''),
        entry('notes.txt', 'plain text')
      ]
    })
    expect(answer.status).toBe(200)
    const head = hub.space(ID)!.head
    expect(answer.text).toBe(
      JSON.stringify({
        files: [
          {
            path: 'app.py',
            uploadMode: 'regular',
            shouldIgnore: false,
            oid: blobSha1(Buffer.from('import gradio\n'))
          },
          {
            path: 'weights.pt',
            uploadMode: 'lfs',
            shouldIgnore: false,
            oid: sha256(Buffer.from('tracked by .gitattributes'))
          },
          { path: 'new.safetensors', uploadMode: 'lfs', shouldIgnore: false },
          { path: 'image.png', uploadMode: 'lfs', shouldIgnore: false },
          { path: 'large.txt', uploadMode: 'lfs', shouldIgnore: false },
          { path: 'limit.txt', uploadMode: 'regular', shouldIgnore: false },
          { path: 'empty.bin', uploadMode: 'regular', shouldIgnore: false },
          { path: 'notes.txt', uploadMode: 'regular', shouldIgnore: false }
        ],
        commitOid: head
      })
    )
  })

  it('prefers the gitAttributes and gitIgnore of the request over the repo files', async () => {
    const answer = await preupload({
      files: [entry('weights.pt', 'abc'), entry('data.csv', 'a,b'), entry('debug.log', 'x')],
      gitAttributes: '*.csv filter=lfs diff=lfs merge=lfs -text\n',
      gitIgnore: '*.csv\n'
    })
    expect(
      (obj(answer).files as unknown[]).map(f => [
        (f as { uploadMode: string }).uploadMode,
        (f as { shouldIgnore: boolean }).shouldIgnore
      ])
    ).toEqual([
      ['regular', false],
      ['lfs', true],
      ['regular', false]
    ])
  })

  it('applies the repo .gitignore: globs, negation, directories, anchors and **', async () => {
    const paths = [
      'debug.log',
      'sub/debug.log',
      'keep.log',
      'build/out.js',
      'src/build/out.js',
      'build.py',
      'root-only.txt',
      'sub/root-only.txt',
      'cache/a/b/tmp',
      'cache/tmp',
      'app.py'
    ]
    const answer = await preupload({ files: paths.map(p => entry(p, 'x')) })
    const ignored = (obj(answer).files as { path: string; shouldIgnore: boolean }[])
      .filter(f => f.shouldIgnore)
      .map(f => f.path)
    expect(ignored).toEqual([
      'debug.log',
      'sub/debug.log',
      'build/out.js',
      'src/build/out.js',
      'root-only.txt',
      'cache/a/b/tmp',
      'cache/tmp'
    ])
  })

  it('is for writers, on a known revision, with a valid body', async () => {
    const body = { files: [entry('app.py', 'x')] }
    expect((await preupload(body, { token: TOKENS.reader })).status).toBe(403)
    const anonymous = await call(hub.url, 'POST', `/api/spaces/${ID}/preupload/main`, { body })
    expect(anonymous.status).toBe(401)
    const missingRev = await preupload(body, { rev: 'dev' })
    expect([missingRev.status, missingRev.headers.get('x-error-code'), missingRev.json]).toEqual([
      404,
      'RevisionNotFound',
      { error: 'Invalid rev id: dev' }
    ])
    expect((await preupload({ files: 'app.py' })).status).toBe(422)
    expect((await preupload({ files: [{ path: '/abs', sample: '', size: 0 }] })).status).toBe(422)
    expect((await preupload({ files: [{ path: 'a', sample: '%%', size: 1 }] })).status).toBe(422)
    expect((await preupload({ files: [{ path: 'a', sample: '', size: -1 }] })).status).toBe(422)
  })
})

describe('POST /api/spaces/{id}/commit/{rev}', () => {
  beforeEach(() => {
    hub.addSpace({ id: ID, files: { 'app.py': 'v1\n', 'docs/a.md': 'a', 'docs/b.md': 'b', 'keep.txt': 'k' } })
  })

  it('answers the recorded shape with the huggingface.co commit URL', async () => {
    const answer = await commit(ndjson([headerLine('Update app.py'), fileLine('app.py', 'v2\n')]))
    expect(answer.status).toBe(200)
    const sha = hub.space(ID)!.head
    expect(answer.text).toBe(
      `{"success":true,"commitOid":"${sha}","commitUrl":"https://huggingface.co/spaces/${ID}/commit/${sha}","hookOutput":""}`
    )
    expect(hub.fileContent(ID, 'app.py')!.toString()).toBe('v2\n')
    const latest = hub.space(ID)!.commits.at(-1)!
    expect([latest.title, latest.files, latest.parent]).toEqual([
      'Update app.py',
      ['app.py'],
      hub.space(ID)!.commits[0]!.sha
    ])
  })

  it('reads NDJSON with or without the final newline, with CRLF line ends, and the older JSON form alike', async () => {
    const lines = [
      headerLine('same'),
      fileLine('x.txt', 'x'),
      { key: 'deletedFile', value: { path: 'keep.txt' } }
    ]
    const bodies = [
      { body: ndjson(lines), type: 'application/x-ndjson' },
      { body: ndjson(lines, '\n', false), type: 'application/x-ndjson' },
      { body: ndjson(lines, '\r\n'), type: 'application/x-ndjson; charset=utf-8' },
      {
        body: JSON.stringify({
          summary: 'same',
          description: '',
          files: [{ path: 'x.txt', content: 'x', encoding: 'utf-8' }],
          deletedEntries: [{ path: 'keep.txt' }]
        }),
        type: 'application/json'
      }
    ]
    const trees: string[][] = []
    for (const [index, { body, type }] of bodies.entries()) {
      hub.addSpace({ id: `acme/copy-${index}`, files: { 'app.py': 'v1\n', 'keep.txt': 'k' } })
      const answer = await commit(body, { id: `acme/copy-${index}`, type })
      expect([index, answer.status]).toEqual([index, 200])
      trees.push(Object.keys(hub.space(`acme/copy-${index}`)!.files))
      expect(hub.fileContent(`acme/copy-${index}`, 'x.txt')!.toString()).toBe('x')
    }
    expect(new Set(trees.map(t => t.join()))).toEqual(new Set(['app.py,x.txt']))
  })

  it('deletes files and folders, renames with oldPath, and accepts utf-8 content', async () => {
    const answer = await commit(
      ndjson([
        headerLine('Reshape'),
        { key: 'deletedFolder', value: { path: 'docs/' } },
        {
          key: 'file',
          value: { path: 'main.py', content: 'v1 renamed\n', encoding: 'utf-8', oldPath: 'app.py' }
        },
        { key: 'deletedFile', value: { path: 'keep.txt' } }
      ])
    )
    expect(answer.status).toBe(200)
    expect(Object.keys(hub.space(ID)!.files)).toEqual(['main.py'])
    expect(hub.space(ID)!.commits.at(-1)!.files).toEqual([
      'app.py',
      'docs/a.md',
      'docs/b.md',
      'keep.txt',
      'main.py'
    ])
  })

  it('refuses a missing path to delete with 404 EntryNotFound, and changes nothing', async () => {
    const before = hub.space(ID)!
    const answer = await commit(
      ndjson([
        headerLine('Oops'),
        fileLine('new.txt', 'n'),
        { key: 'deletedFile', value: { path: 'nope.txt' } }
      ])
    )
    expect([answer.status, answer.headers.get('x-error-code'), answer.json]).toEqual([
      404,
      'EntryNotFound',
      { error: "A file with this name doesn't exist" }
    ])
    const folder = await commit(
      ndjson([headerLine('Oops'), { key: 'deletedFolder', value: { path: 'nope/' } }])
    )
    expect([folder.status, folder.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound'])
    expect(hub.space(ID)!.commits).toEqual(before.commits)
    expect(hub.fileContent(ID, 'new.txt')).toBeUndefined()
  })

  it.each([
    ['no header', ndjson([fileLine('a.txt', 'a')]), /first line must be the header/],
    ['an empty body', '', /Missing header/],
    ['an empty summary', ndjson([headerLine('  ')]), /summary is required/],
    ['a second header', ndjson([headerLine('a'), headerLine('b')]), /header must be the first line/],
    ['a malformed line', `${JSON.stringify(headerLine('a'))}\n{"key":"file",\n`, /line 2: not a JSON object/],
    [
      'an unknown key',
      ndjson([headerLine('a'), { key: 'chmod', value: { path: 'a' } }]),
      /unknown key "chmod"/
    ],
    ['a line without value', ndjson([headerLine('a'), { key: 'file' }]), /line 2: expected \{"key"/],
    [
      'bad base64',
      ndjson([headerLine('a'), { key: 'file', value: { path: 'a', content: '@@', encoding: 'base64' } }]),
      /not valid base64/
    ],
    ['an absolute path', ndjson([headerLine('a'), fileLine('/etc/passwd', 'x')]), /relative file path/],
    ['a path under .git', ndjson([headerLine('a'), fileLine('.git/config', 'x')]), /relative file path/],
    [
      'a binary regular file',
      ndjson([headerLine('a'), fileLine('x.bin', Buffer.from([1, 0, 2]))]),
      /binary files/
    ],
    ['a bad parentCommit', ndjson([headerLine('a', { parentCommit: 'abc' })]), /parentCommit/],
    [
      'a bad lfsFile oid',
      ndjson([headerLine('a'), { key: 'lfsFile', value: { path: 'a', oid: 'x', size: 1, algo: 'sha256' } }]),
      /oid/
    ]
  ])('answers 400 to %s', async (_what, body, message) => {
    const answer = await commit(body)
    expect(answer.status).toBe(400)
    expect(obj(answer).error as string).toMatch(message)
  })

  it('answers 400 to a JSON-form body without summary', async () => {
    const answer = await commit(JSON.stringify({ files: [] }), { type: 'application/json' })
    expect([answer.status, obj(answer).error]).toEqual([
      400,
      'body: summary is required and must not be empty'
    ])
  })

  it('answers 422 to an lfsFile whose object was never uploaded', async () => {
    const answer = await commit(
      ndjson([
        headerLine('LFS'),
        { key: 'lfsFile', value: { path: 'w.bin', algo: 'sha256', oid: 'f'.repeat(64), size: 3 } }
      ])
    )
    expect(answer.status).toBe(422)
    expect(obj(answer).error).toMatch(/not found in the LFS storage/)
  })

  it('takes a parentCommit equal to the head, and answers 412 to a stale one', async () => {
    const head = hub.space(ID)!.head
    expect(
      (await commit(ndjson([headerLine('first', { parentCommit: head }), fileLine('a.txt', '1')]))).status
    ).toBe(200)
    const stale = await commit(ndjson([headerLine('second', { parentCommit: head }), fileLine('a.txt', '2')]))
    expect([stale.status, stale.json]).toEqual([412, { error: PARENT_COMMIT_CONFLICT }])
    expect(hub.fileContent(ID, 'a.txt')!.toString()).toBe('1')
  })

  it('makes a commit even when nothing changes (avoiding empty commits is the client’s job)', async () => {
    const answer = await commit(ndjson([headerLine('No-op'), fileLine('app.py', 'v1\n')]))
    expect(answer.status).toBe(200)
    const view = hub.space(ID)!
    expect(view.commits).toHaveLength(2)
    expect(view.commits[1]!.files).toEqual([])
    // A rebuild starts (after the moment the old build still answers RUNNING).
    clock.advance(DEFAULT_TIMINGS.staleMs)
    expect(hub.space(ID)!.runtime.stage).toBe('RUNNING_BUILDING')
  })

  it('opens refs/pr/N with create_pr=1, leaving main and the runtime alone', async () => {
    const main = hub.space(ID)!.head
    const first = await commit(ndjson([headerLine('PR one'), fileLine('app.py', 'pr1\n')]), {
      query: '?create_pr=1'
    })
    expect(first.status).toBe(200)
    const prSha = obj(first).commitOid as string
    expect(first.text).toBe(
      `{"success":true,"commitOid":"${prSha}","commitUrl":"https://huggingface.co/spaces/${ID}/commit/${prSha}","hookOutput":"","pullRequestUrl":"https://huggingface.co/spaces/${ID}/discussions/1"}`
    )
    const second = await commit(ndjson([headerLine('PR two'), fileLine('other.txt', 'o')]), {
      query: '?create_pr=true'
    })
    expect(obj(second).pullRequestUrl).toBe(`https://huggingface.co/spaces/${ID}/discussions/2`)
    const onPr = await commit(ndjson([headerLine('More on PR one'), fileLine('b.txt', 'b')]), {
      rev: 'refs/pr/1'
    })
    expect(onPr.status).toBe(200)
    expect(obj(onPr).pullRequestUrl).toBeUndefined()

    const view = hub.space(ID)!
    expect([view.head, view.sha, view.runtime.stage]).toEqual([main, main, 'RUNNING'])
    expect(view.pullRequests).toEqual([
      { num: 1, ref: 'refs/pr/1', head: obj(onPr).commitOid },
      { num: 2, ref: 'refs/pr/2', head: obj(second).commitOid }
    ])
    expect(view.commits.map(c => [c.title, c.ref])).toEqual([
      ['initial commit', 'main'],
      ['PR one', 'refs/pr/1'],
      ['PR two', 'refs/pr/2'],
      ['More on PR one', 'refs/pr/1']
    ])
    expect(hub.fileContent(ID, 'app.py')!.toString()).toBe('v1\n')
    expect(hub.fileContent(ID, 'app.py', 'refs/pr/1')!.toString()).toBe('pr1\n')
    const preuploadOnPr = await preupload({ files: [entry('app.py', 'x')] }, { rev: 'refs/pr/1' })
    expect(obj(preuploadOnPr).commitOid).toBe(obj(onPr).commitOid)
    expect((await commit(ndjson([headerLine('x')]), { rev: 'refs/pr/9' })).status).toBe(404)
  })

  it('is for writers of an existing Space', async () => {
    const body = ndjson([headerLine('x')])
    expect((await commit(body, { token: TOKENS.reader })).status).toBe(403)
    expect((await commit(body, { token: TOKENS.outsider })).status).toBe(403)
    expect((await commit(body, { id: 'acme/missing' })).status).toBe(404)
    expect((await call(hub.url, 'POST', `/api/spaces/${ID}/commit/main`, { body })).status).toBe(401)
  })
})

describe('GET /api/spaces/{id}/tree/{rev}[/{path}]', () => {
  const weights = Buffer.from([0, 9, 9, 9])

  beforeEach(() => {
    hub.addSpace({
      id: ID,
      files: {
        'README.md': '# hi\n',
        'src/app.py': 'x',
        'src/lib/util.py': 'u',
        'a-b.txt': 'ab',
        'model.bin': weights
      }
    })
  })

  const tree = (path: string) => call(hub.url, 'GET', `/api/spaces/${ID}/tree/${path}`)

  it('lists one level in git order, with file, LFS and directory entries', async () => {
    const answer = await tree('main')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('link')).toBeNull()
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(weights)}\nsize 4\n`
    expect(answer.json).toEqual([
      { type: 'file', oid: blobSha1(Buffer.from('# hi\n')), size: 5, path: 'README.md' },
      { type: 'file', oid: blobSha1(Buffer.from('ab')), size: 2, path: 'a-b.txt' },
      {
        type: 'file',
        oid: blobSha1(Buffer.from(pointer)),
        size: 4,
        path: 'model.bin',
        lfs: { oid: sha256(weights), size: 4, pointerSize: pointer.length }
      },
      { type: 'directory', oid: expect.stringMatching(/^[0-9a-f]{40}$/), size: 0, path: 'src' }
    ])
    expect(Object.keys((answer.json as object[])[3]!)).toEqual(['type', 'oid', 'size', 'path'])
  })

  it('lists recursively, and below a folder', async () => {
    const all = (await tree('main?recursive=true')).json as { type: string; path: string }[]
    expect(all.map(e => `${e.type[0]} ${e.path}`)).toEqual([
      'f README.md',
      'f a-b.txt',
      'f model.bin',
      'd src',
      'f src/app.py',
      'd src/lib',
      'f src/lib/util.py'
    ])
    const src = (await tree('main/src')).json as { path: string }[]
    expect(src.map(e => e.path)).toEqual(['src/app.py', 'src/lib'])
    const missing = await tree('main/nope')
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound'])
    expect((await tree('dev')).status).toBe(404)
  })

  it('gives the tree oids git computes', async () => {
    hub.addSpace({ id: 'acme/one', files: { 'd/f.txt': 'hello\n' } })
    // printf 'hello\n' > d/f.txt && git add . && git rev-parse "$(git write-tree):d"
    const listing = (await call(hub.url, 'GET', '/api/spaces/acme/one/tree/main')).json as { oid: string }[]
    expect(listing[0]!.oid).toBe('b4ed918248039b78f24383523fa4e51f80994fac')
    // The same files in git: `git ls-tree -r -t` gives src 9c0f900…, src/lib a4c97cf…
    const all = (await tree('main?recursive=true')).json as { path: string; oid: string }[]
    expect(all.filter(e => e.path.startsWith('src')).map(e => [e.path, e.oid])).toEqual([
      ['src', '9c0f90070aaf051fe9fac57d50a0672dfe72af51'],
      ['src/app.py', 'c1b0730e0133447badcfd47fd144e254807b06e1'],
      ['src/lib', 'a4c97cf7caa5ee41aa06f807500d54f3ec8060d7'],
      ['src/lib/util.py', 'f3c6c3c68af484bd95bc7b7a38276c6c014d6aa3']
    ])
  })

  it('pages every 1000 entries with a Link header and an opaque cursor', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 2500; i++) files[`f/${String(i).padStart(4, '0')}.txt`] = String(i)
    hub.addSpace({ id: 'acme/big', files })
    let url: string | undefined = `${hub.url}/api/spaces/acme/big/tree/main/f?recursive=true`
    const pages: number[] = []
    const paths: string[] = []
    while (url !== undefined) {
      const answer = await call(hub.url, 'GET', url.slice(hub.url.length))
      expect(answer.status).toBe(200)
      const page = answer.json as { path: string }[]
      pages.push(page.length)
      paths.push(...page.map(e => e.path))
      const link = answer.headers.get('link')
      url = link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1]
      if (url !== undefined) expect(url).toMatch(/[?&]cursor=[^&]+/)
    }
    expect(pages).toEqual([1000, 1000, 500])
    expect(paths).toEqual(Object.keys(files))
  })
})

describe('GET /spaces/{id}/resolve/{rev}/{path} and GET /api/spaces/{id}/revision/{rev}', () => {
  const weights = Buffer.from([0, 1, 2, 250])

  beforeEach(() => {
    hub.addSpace({ id: ID, files: { 'app.py': 'print(1)\n', 'w.bin': weights } })
  })

  it('serves the raw content of regular and LFS files, with the commit and the oid', async () => {
    const head = hub.space(ID)!.head
    const regular = await fetch(`${hub.url}/spaces/${ID}/resolve/main/app.py`)
    expect([regular.status, await regular.text()]).toEqual([200, 'print(1)\n'])
    expect(regular.headers.get('x-repo-commit')).toBe(head)
    expect(regular.headers.get('etag')).toBe(`"${blobSha1(Buffer.from('print(1)\n'))}"`)
    const lfs = await fetch(`${hub.url}/spaces/${ID}/resolve/${head}/w.bin`)
    expect(Buffer.from(await lfs.arrayBuffer())).toEqual(weights)
    expect([
      lfs.headers.get('content-type'),
      lfs.headers.get('x-linked-size'),
      lfs.headers.get('etag')
    ]).toEqual(['application/octet-stream', '4', `"${sha256(weights)}"`])
    const head_ = await fetch(`${hub.url}/spaces/${ID}/resolve/main/app.py`, { method: 'HEAD' })
    expect([head_.status, head_.headers.get('content-length')]).toEqual([200, '9'])
    const missing = await call(hub.url, 'GET', `/spaces/${ID}/resolve/main/nope.py`)
    expect([missing.status, missing.headers.get('x-error-code'), missing.json]).toEqual([
      404,
      'EntryNotFound',
      { error: 'Entry not found' }
    ])
    expect(hub.requests().map(r => `${r.method} ${r.path} ${r.status}`)).toContain(
      `GET /spaces/${ID}/resolve/main/app.py 200`
    )
  })

  it('hides private Spaces as the API does', async () => {
    hub.addSpace({ id: 'acme/secret', private: true })
    expect((await call(hub.url, 'GET', '/spaces/acme/secret/resolve/main/README.md')).status).toBe(401)
    expect(
      (await call(hub.url, 'GET', '/spaces/acme/secret/resolve/main/README.md', { token: TOKENS.outsider }))
        .status
    ).toBe(404)
    expect(
      (await call(hub.url, 'GET', '/spaces/acme/secret/resolve/main/README.md', { token: TOKENS.acme }))
        .status
    ).toBe(200)
    expect(
      (await call(hub.url, 'GET', '/spaces/acme/secret/resolve/main/README.md', { token: 'hf_nope' })).status
    ).toBe(401)
  })

  it('answers ?expand=xetEnabled exactly as recorded, and the full info at a revision otherwise', async () => {
    const expanded = await call(hub.url, 'GET', `/api/spaces/${ID}/revision/main?expand=xetEnabled`)
    const id = hub.space(ID)!.info._id as string
    expect(expanded.text).toBe(`{"_id":"${id}","id":"${ID}","xetEnabled":false}`)
    await commit(ndjson([headerLine('PR'), fileLine('pr.txt', 'p')]), { query: '?create_pr=1' })
    const atPr = obj(
      await call(hub.url, 'GET', `/api/spaces/${ID}/revision/${encodeURIComponent('refs/pr/1')}`)
    )
    expect(Object.keys(atPr)).toEqual(Object.keys(hub.space(ID)!.info))
    expect(atPr.sha).toBe(hub.space(ID)!.pullRequests[0]!.head)
    expect(atPr.siblings).toEqual([{ rfilename: 'app.py' }, { rfilename: 'pr.txt' }, { rfilename: 'w.bin' }])
    expect((await call(hub.url, 'GET', `/api/spaces/${ID}/revision/nope`)).status).toBe(404)
    expect(obj(await call(hub.url, 'GET', `/api/spaces/${ID}/revision/HEAD`)).sha).toBe(hub.space(ID)!.head)
  })

  it('answers one byte range with 206 and Content-Range, and a range past the end with 416', async () => {
    const url = `${hub.url}/spaces/${ID}/resolve/main/app.py`
    const ranged = async (range: string) => {
      const response = await fetch(url, { headers: { Range: range } })
      return [response.status, response.headers.get('content-range'), await response.text()]
    }
    expect(await ranged('bytes=0-0')).toEqual([206, 'bytes 0-0/9', 'p'])
    expect(await ranged('bytes=6-')).toEqual([206, 'bytes 6-8/9', '1)\n'])
    expect(await ranged('bytes=-3')).toEqual([206, 'bytes 6-8/9', '1)\n'])
    expect(await ranged('bytes=2-100')).toEqual([206, 'bytes 2-8/9', 'int(1)\n'])
    expect((await ranged('bytes=9-'))[0]).toBe(416)
    expect((await ranged('bytes=9-'))[1]).toBe('bytes */9')
    // Several ranges are not served as multipart: the whole body, as a server may answer.
    expect(await ranged('bytes=0-1,3-4')).toEqual([200, null, 'print(1)\n'])
  })

  it('raw serves an LFS file as its pointer', async () => {
    const raw = await fetch(`${hub.url}/spaces/${ID}/raw/main/w.bin`)
    expect([raw.status, await raw.text(), raw.headers.get('x-linked-size')]).toEqual([
      200,
      `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(weights)}\nsize 4\n`,
      null
    ])
    expect(await (await fetch(`${hub.url}/spaces/${ID}/raw/main/app.py`)).text()).toBe('print(1)\n')
  })
})

describe('paths-info, commits, refs and branches', () => {
  beforeEach(() => {
    hub.addSpace({ id: ID, files: { 'src/app.py': 'print(1)\n' } })
  })

  it("paths-info takes huggingface_hub's form body as well as JSON", async () => {
    const form = await call(hub.url, 'POST', `/api/spaces/${ID}/paths-info/main`, {
      body: 'paths=src&paths=src%2Fapp.py&paths=nope&expand=True',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    })
    const entries = form.json as Record<string, unknown>[]
    expect(entries.map(e => [e.type, e.path])).toEqual([
      ['directory', 'src'],
      ['file', 'src/app.py']
    ])
    expect(entries[0]!.lastCommit).toMatchObject({ id: hub.space(ID)!.head, title: 'initial commit' })
    const bad = await call(hub.url, 'POST', `/api/spaces/${ID}/paths-info/main`, { body: { paths: 'src' } })
    expect(bad.status).toBe(422)
  })

  it('commits pages with p and limit, counts in X-Total-Count, and refuses a bad limit', async () => {
    await commit(ndjson([headerLine('Second', { description: 'why' }), fileLine('b.txt', 'b')]))
    const first = await call(hub.url, 'GET', `/api/spaces/${ID}/commits/main?limit=1`)
    expect(first.headers.get('x-total-count')).toBe('2')
    expect(first.json).toEqual([
      {
        id: hub.space(ID)!.head,
        title: 'Second',
        message: 'Second\n\nwhy',
        authors: [{ user: 'acme', avatar: expect.stringMatching(/^\/avatars\/[0-9a-f]{24}\.svg$/) }],
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
      }
    ])
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!
    const second = await call('', 'GET', next)
    expect((second.json as { title: string }[]).map(c => c.title)).toEqual(['initial commit'])
    expect(second.headers.get('link')).toBeNull()
    expect((await call(hub.url, 'GET', `/api/spaces/${ID}/commits/main?limit=0`)).status).toBe(400)
    expect((await call(hub.url, 'GET', `/api/spaces/${ID}/commits/nope`)).status).toBe(404)
  })

  it('refs lists branches, and PR refs when asked', async () => {
    await commit(ndjson([headerLine('PR'), fileLine('pr.txt', 'p')]), { query: '?create_pr=1' })
    const refs = obj(await call(hub.url, 'GET', `/api/spaces/${ID}/refs?include_prs=1`))
    expect(refs.pullRequests).toEqual([
      { name: 'pr/1', ref: 'refs/pr/1', targetCommit: hub.space(ID)!.pullRequests[0]!.head }
    ])
    expect(refs.branches).toEqual([
      { name: 'main', ref: 'refs/heads/main', targetCommit: hub.space(ID)!.head }
    ])
  })

  it('branch: writers only, from a starting point, overwrite on request', async () => {
    const first = hub.space(ID)!.head
    await commit(ndjson([headerLine('Second'), fileLine('b.txt', 'b')]))
    const path = `/api/spaces/${ID}/branch/old`
    expect((await call(hub.url, 'POST', path, { token: TOKENS.reader, body: {} })).status).toBe(403)
    expect(
      (await call(hub.url, 'POST', path, { token: TOKENS.acme, body: { startingPoint: first } })).status
    ).toBe(200)
    const at = obj(await call(hub.url, 'GET', `/api/spaces/${ID}/revision/old`))
    expect(at.sha).toBe(first)
    expect((await call(hub.url, 'POST', path, { token: TOKENS.acme, body: {} })).status).toBe(409)
    expect(
      (await call(hub.url, 'POST', path, { token: TOKENS.acme, body: { overwrite: true } })).status
    ).toBe(200)
    expect(obj(await call(hub.url, 'GET', `/api/spaces/${ID}/revision/old`)).sha).toBe(hub.space(ID)!.head)
    const bad = await call(hub.url, 'POST', `/api/spaces/${ID}/branch/x`, {
      token: TOKENS.acme,
      body: { startingPoint: 'nope' }
    })
    expect(bad.status).toBe(404)
  })
})
