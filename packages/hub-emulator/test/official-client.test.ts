/**
 * The official JavaScript client, `@huggingface/hub`, against the emulator: a client we did not write is the
 * referee of the emulator's routes and bodies (docs/hub-api.md is the contract). Where the two disagree, the
 * emulator is fixed; the comments below say where the client is the odd one out.
 *
 * The client has no functions for a Space's runtime, hardware, sleep time, pause, restart, secrets or variables
 * (only huggingface_hub has them; their recorded bodies are replayed by conformance*.test.ts), so this suite covers
 * what it does offer for Spaces: whoami, info, listing, files, commits (LFS included), branches, create, delete.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  checkRepoAccess,
  commit,
  countCommits,
  createBranch,
  createRepo,
  deleteBranch,
  deleteFile,
  deleteRepo,
  downloadFile,
  fileDownloadInfo,
  fileExists,
  HubApiError,
  listCommits,
  listFiles,
  listSpaces,
  pathsInfo,
  repoExists,
  spaceInfo,
  uploadFile,
  whoAmI,
  type RepoDesignation
} from '@huggingface/hub'
import { createHash } from 'node:crypto'
import { FakeClock, startEmulator, type Emulator } from '../src/index.js'
import { call, obj, TOKENS } from './helpers.js'

const ID = 'acme/app'
const repo: RepoDesignation = { type: 'space', name: ID }
/** An emulator account's token: fake, and only ever sent to 127.0.0.1. */
const accessToken = TOKENS.acme
let hub: Emulator
let hubUrl: string

beforeEach(async () => {
  hub = await startEmulator({ clock: new FakeClock() })
  hubUrl = hub.url
  hub.addSpace({ id: ID })
})

afterEach(async () => {
  await hub.close()
})

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** The error the client throws, for asserting on its status. */
async function failure(promise: Promise<unknown>): Promise<HubApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(HubApiError)
  return error as HubApiError
}

/** A binary file above nothing but the binary rule: the Hub (and the emulator) answer `uploadMode: "lfs"`. */
const WEIGHTS = Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.alloc(20_000, 7)])
const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex')

describe('whoami', () => {
  it('reads the account behind the token', async () => {
    const me = await whoAmI({ accessToken, hubUrl })
    expect(me).toMatchObject({ type: 'user', name: 'acme', canPay: true, isPro: true })
    expect(me.auth.accessToken?.role).toBe('write')
  })

  it('an unknown token is a 401 the client surfaces', async () => {
    const error = await failure(whoAmI({ accessToken: 'hf_not_a_token_of_this_hub', hubUrl }))
    expect(error.statusCode).toBe(401)
  })
})

describe('space info and listing', () => {
  it('spaceInfo asks for revision HEAD, the default branch, and maps the Space', async () => {
    const info = await spaceInfo({ name: ID, accessToken, hubUrl, additionalFields: ['sha', 'runtime'] })
    expect(info).toMatchObject({ name: ID, sdk: 'gradio', likes: 0, private: false })
    expect(info.id).toMatch(/^[0-9a-f]{24}$/)
    expect(info.sha).toBe(hub.space(ID)!.head)
    expect(info.runtime).toMatchObject({ stage: 'RUNNING' })
    expect(hub.requests().at(-1)!.path).toBe(`/api/spaces/${ID}/revision/HEAD`)
  })

  it('a private Space is invisible to others, and a missing one is a 404', async () => {
    hub.addSpace({ id: 'acme/secret', private: true })
    const hidden = await failure(spaceInfo({ name: 'acme/secret', accessToken: TOKENS.outsider, hubUrl }))
    expect(hidden.statusCode).toBe(404)
    expect(await repoExists({ repo: { type: 'space', name: 'acme/secret' }, hubUrl })).toBe(false)
    expect(await repoExists({ repo: { type: 'space', name: 'acme/secret' }, accessToken, hubUrl })).toBe(true)
    await expect(checkRepoAccess({ repo, accessToken, hubUrl })).resolves.toBeUndefined()
    const none: RepoDesignation = { type: 'space', name: 'acme/none' }
    expect((await failure(checkRepoAccess({ repo: none, accessToken, hubUrl }))).statusCode).toBe(404)
    // Anonymous callers get 401 for a missing Space, as from the Hub (docs/hub-api.md §12).
    expect((await failure(checkRepoAccess({ repo: none, hubUrl }))).statusCode).toBe(401)
  })

  it('listSpaces filters by author, hides private Spaces from others, and follows the Link header', async () => {
    hub.addSpace({ id: 'acme/secret', private: true })
    hub.addSpace({ id: 'acme/static-site', sdk: 'static' })
    hub.addSpace({ id: 'outsider/other' })
    const mine = await collect(listSpaces({ search: { owner: 'acme' }, accessToken, hubUrl }))
    expect(mine.map(s => s.name)).toEqual(['acme/app', 'acme/secret', 'acme/static-site'])
    expect(mine.find(s => s.name === 'acme/static-site')).toMatchObject({ sdk: 'static', private: false })
    const seen = await collect(
      listSpaces({
        search: { owner: 'acme' },
        accessToken: TOKENS.outsider,
        hubUrl,
        additionalFields: ['runtime']
      })
    )
    expect(seen.map(s => s.name)).toEqual(['acme/app', 'acme/static-site'])
    expect(seen[0]!.runtime).toMatchObject({ stage: 'RUNNING' })

    // The client asks for 500 a page; a smaller page proves it follows the cursor the emulator hands out.
    const first = await call(hubUrl, 'GET', '/api/spaces?author=acme&limit=2', { token: accessToken })
    expect((first.json as unknown[]).length).toBe(2)
    expect(first.headers.get('link')).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/api\/spaces\?.*cursor=.*>; rel="next"$/
    )
  })
})

describe('files', () => {
  it('listFiles walks the tree, recursively and expanded with the last commit', async () => {
    await uploadFile({
      repo,
      accessToken,
      hubUrl,
      file: { path: 'src/app.py', content: new Blob(['print(1)\n']) }
    })
    const top = await collect(listFiles({ repo, accessToken, hubUrl }))
    expect(top.map(f => [f.type, f.path])).toEqual([
      ['file', '.gitattributes'],
      ['file', 'README.md'],
      ['directory', 'src']
    ])
    const all = await collect(listFiles({ repo, accessToken, hubUrl, recursive: true, expand: true }))
    const app = all.find(f => f.path === 'src/app.py')!
    expect(app).toMatchObject({ type: 'file', size: 9, lastCommit: { title: 'Add src/app.py' } })
    expect(app.lastCommit!.id).toBe(hub.space(ID)!.head)
  })

  it('pathsInfo answers the paths that exist, expanded or not', async () => {
    await uploadFile({
      repo,
      accessToken,
      hubUrl,
      file: { path: 'src/app.py', content: new Blob(['print(1)\n']) }
    })
    const plain = await pathsInfo({ repo, accessToken, hubUrl, paths: ['README.md', 'src', 'missing.txt'] })
    expect(plain.map(p => [p.type, p.path])).toEqual([
      ['file', 'README.md'],
      ['directory', 'src']
    ])
    expect(plain[0]!.lastCommit).toBeUndefined()
    const [expanded] = await pathsInfo({ repo, accessToken, hubUrl, paths: ['src/app.py'], expand: true })
    expect(expanded!.lastCommit.id).toBe(hub.space(ID)!.head)
    expect(expanded!.lastCommit.date).toBeInstanceOf(Date)
    expect(expanded!.oid).toBe(hub.space(ID)!.files['src/app.py']!.sha)
  })

  it('fileExists, fileDownloadInfo and downloadFile (with ranges) read what was committed', async () => {
    await uploadFile({
      repo,
      accessToken,
      hubUrl,
      file: { path: 'app.py', content: new Blob(['print(1)\n']) }
    })
    expect(await fileExists({ repo, accessToken, hubUrl, path: 'app.py' })).toBe(true)
    expect(await fileExists({ repo, accessToken, hubUrl, path: 'nope.py' })).toBe(false)
    expect(await fileDownloadInfo({ repo, accessToken, hubUrl, path: 'nope.py' })).toBeNull()

    const info = await fileDownloadInfo({ repo, accessToken, hubUrl, path: 'app.py' })
    expect(info).toMatchObject({ size: 9, etag: `"${hub.space(ID)!.files['app.py']!.sha}"` })
    const blob = await downloadFile({ repo, accessToken, hubUrl, path: 'app.py' })
    expect(await blob!.text()).toBe('print(1)\n')
    expect(await blob!.slice(6, 8).text()).toBe('1)')
    const ranges = hub.requests().filter(r => r.path === `/spaces/${ID}/resolve/main/app.py`)
    // fileDownloadInfo reads the size from a one-byte range; a sliced blob asks for just its bytes.
    expect(ranges.map(r => [r.headers.range, r.status])).toEqual([
      ['bytes=0-0', 206],
      ['bytes=0-0', 206],
      [undefined, 200],
      ['bytes=6-7', 206]
    ])
  })
})

describe('commits', () => {
  it('commit sends an LFS file through the batch API, and it downloads back byte for byte', async () => {
    const result = await commit({
      repo,
      accessToken,
      hubUrl,
      title: 'Add weights',
      operations: [
        { operation: 'addOrUpdate', path: 'model.bin', content: new Blob([WEIGHTS]) },
        { operation: 'addOrUpdate', path: 'app.py', content: new Blob(['import gradio\n']) }
      ]
    })
    const space = hub.space(ID)!
    expect(result!.commit.oid).toBe(space.head)
    expect(space.files['model.bin']).toEqual({ size: WEIGHTS.length, lfs: true, sha: sha256(WEIGHTS) })
    expect(space.files['app.py']!.lfs).toBe(false)
    const paths = hub.requests().map(r => `${r.method} ${r.path}`)
    expect(paths).toEqual(
      expect.arrayContaining([
        `POST /api/spaces/${ID}/preupload/main`,
        `POST /spaces/${ID}.git/info/lfs/objects/batch`,
        `POST /api/spaces/${ID}/commit/main`
      ])
    )
    const committed = hub.requests().find(r => r.path === `/api/spaces/${ID}/commit/main`)!
    expect(committed.body).toContain(`"key":"lfsFile"`)

    const blob = await downloadFile({ repo, accessToken, hubUrl, path: 'model.bin' })
    expect(blob!.size).toBe(WEIGHTS.length)
    // Buffer.equals, not toEqual: a deep comparison of 20 kB byte by byte is slow for no benefit.
    expect(Buffer.from(await blob!.arrayBuffer()).equals(WEIGHTS)).toBe(true)
    const [info] = await pathsInfo({ repo, accessToken, hubUrl, paths: ['model.bin'] })
    expect(info!.lfs).toMatchObject({ oid: sha256(WEIGHTS), size: WEIGHTS.length })
  })

  it('listCommits and countCommits read the history, newest first, across pages', async () => {
    await uploadFile({ repo, accessToken, hubUrl, file: { path: 'a.txt', content: new Blob(['a']) } })
    await uploadFile({ repo, accessToken, hubUrl, file: { path: 'b.txt', content: new Blob(['b']) } })
    await deleteFile({ repo, accessToken, hubUrl, path: 'a.txt' })
    const history = await collect(listCommits({ repo, accessToken, hubUrl, batchSize: 2 }))
    expect(history.map(c => c.title)).toEqual(['Delete a.txt', 'Add b.txt', 'Add a.txt', 'initial commit'])
    expect(history.map(c => c.oid)).toEqual(
      hub
        .space(ID)!
        .commits.map(c => c.sha)
        .reverse()
    )
    expect(history[0]!.authors).toEqual([
      { username: 'acme', avatarUrl: expect.stringMatching(/^\/avatars\//) }
    ])
    expect(history[0]!.date).toBeInstanceOf(Date)
    expect(hub.requests().filter(r => r.path === `/api/spaces/${ID}/commits/main`).length).toBe(2)
    expect(await countCommits({ repo, accessToken, hubUrl })).toBe(4)
  })

  it('a commit by a read token is refused with 403', async () => {
    const error = await failure(
      uploadFile({
        repo,
        accessToken: TOKENS.reader,
        hubUrl,
        file: { path: 'x.txt', content: new Blob(['x']) }
      })
    )
    expect(error.statusCode).toBe(403)
  })
})

describe('branches and refs', () => {
  it('createBranch, a commit on it, refs, and deleteBranch', async () => {
    await createBranch({ repo, accessToken, hubUrl, branch: 'dev' })
    const conflict = await failure(createBranch({ repo, accessToken, hubUrl, branch: 'dev' }))
    expect(conflict.statusCode).toBe(409)
    const before = hub.space(ID)!.head
    await uploadFile({
      repo,
      accessToken,
      hubUrl,
      branch: 'dev',
      file: { path: 'dev.txt', content: new Blob(['dev']) }
    })
    // A commit to another branch moves that branch only: main (what the Space serves) stays.
    expect(hub.space(ID)!.head).toBe(before)
    expect(await fileExists({ repo, accessToken, hubUrl, path: 'dev.txt', revision: 'dev' })).toBe(true)
    expect(await fileExists({ repo, accessToken, hubUrl, path: 'dev.txt' })).toBe(false)

    // The JS client has no refs function; huggingface_hub's list_repo_refs reads this shape.
    const refs = obj(await call(hubUrl, 'GET', `/api/spaces/${ID}/refs`, { token: accessToken }))
    expect(refs).toEqual({
      branches: [
        { name: 'main', ref: 'refs/heads/main', targetCommit: before },
        { name: 'dev', ref: 'refs/heads/dev', targetCommit: expect.stringMatching(/^[0-9a-f]{40}$/) }
      ],
      converts: [],
      tags: []
    })

    await deleteBranch({ repo, accessToken, hubUrl, branch: 'dev' })
    expect((await failure(deleteBranch({ repo, accessToken, hubUrl, branch: 'dev' }))).statusCode).toBe(404)
    expect((await failure(deleteBranch({ repo, accessToken, hubUrl, branch: 'main' }))).statusCode).toBe(403)
  })
})

describe('create and delete', () => {
  it('createRepo makes a private Space with files; deleteRepo removes it', async () => {
    const created = await createRepo({
      repo: { type: 'space', name: 'acme/new-space' },
      accessToken,
      hubUrl,
      sdk: 'gradio',
      visibility: 'private',
      files: [{ path: 'app.py', content: new Blob(['import gradio\n']) }]
    })
    // The Hub's create answer has `url`; the client maps it to repoUrl (a huggingface.co address, as recorded).
    expect(created.repoUrl).toBe('https://huggingface.co/spaces/acme/new-space')
    const space = hub.space('acme/new-space')!
    expect(space).toMatchObject({ private: true, sdk: 'gradio' })
    expect(Object.keys(space.files)).toEqual(['.gitattributes', 'README.md', 'app.py'])
    const again = await failure(
      createRepo({ repo: { type: 'space', name: 'acme/new-space' }, accessToken, hubUrl })
    )
    expect(again.statusCode).toBe(409)

    await deleteRepo({ repo: { type: 'space', name: 'acme/new-space' }, accessToken, hubUrl })
    expect(hub.space('acme/new-space')).toBeUndefined()
    const gone = await failure(
      deleteRepo({ repo: { type: 'space', name: 'acme/new-space' }, accessToken, hubUrl })
    )
    expect(gone.statusCode).toBe(404)
  })

  it('createRepo for another namespace is refused', async () => {
    const error = await failure(
      createRepo({ repo: { type: 'space', name: 'outsider/taken' }, accessToken, hubUrl, sdk: 'gradio' })
    )
    expect(error.statusCode).toBe(403)
  })
})
