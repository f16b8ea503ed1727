/** Deploy and verify: a folder as one commit, and a step that ends only when that commit is what runs. */
import { describe, expect, it } from '@jest/globals'
import {
  errors,
  expectSecretKept,
  folder,
  OWNER_TOKEN,
  polledStages,
  runStep,
  SPACE,
  startStep,
  useHub
} from './fixture.js'
import { until } from '../harness/built-action.js'

const APP = 'import gradio as gr\ngr.Interface(lambda x: x, "text", "text").launch()\n'
// A build long enough that the wait's polls (every 500 ms right after a commit) cannot miss it.
const timings = { staleMs: 200, buildMs: 1500, startMs: 200 }

const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.alloc(4096, 7)])

describe('upload', () => {
  const t = useHub([{ id: SPACE, timings }])

  it('commits a Gradio app (text inline, binary through LFS) and waits until that commit runs', async () => {
    const dir = folder({
      'app.py': APP,
      'requirements.txt': 'gradio\n',
      'assets/logo.png': binary,
      'README.md': '# Eval app\n\nThe demo.\n',
      'debug.log': 'noise',
      '.github/workflows/ci.yml': 'on: push',
      '.git/HEAD': 'ref: refs/heads/main'
    })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'upload', folder: dir, ignore: '*.log' })
    )
    expect(main.exitCode).toBe(0)
    const space = t.hub.space(SPACE)
    expect(main.outputs).toMatchObject({ committed: 'true', 'commit-sha': space?.serving, stage: 'RUNNING' })
    expect(main.outputs['commit-url']).toContain(`/commit/${space?.sha ?? ''}`)
    expect(Object.keys(space?.files ?? {}).sort()).toEqual([
      '.gitattributes',
      'README.md',
      'app.py',
      'assets/logo.png',
      'requirements.txt'
    ])
    expect(space?.files['assets/logo.png']?.lfs).toBe(true)
    expect(space?.files['app.py']?.lfs).toBe(false)
    // The README without front matter kept the Space's own (sdk, title…) on top.
    const readme = t.hub.fileContent(SPACE, 'README.md')?.toString() ?? ''
    expect(readme).toMatch(/^---\n[\s\S]*sdk: gradio[\s\S]*---\n# Eval app/)
    expect(t.hub.fileContent(SPACE, 'assets/logo.png')?.equals(binary)).toBe(true)
    // One commit; the storage upload went without the Hub token.
    expect(t.hub.requests().filter(r => r.path.endsWith('/commit/main'))).toHaveLength(1)
    const put = t.hub.requests().find(r => r.method === 'PUT')
    expect(put?.headers.authorization).toBeUndefined()
    expect(main.stdout).toContain('Upload: 3 file(s) inline, 1 through LFS, 0 deletion(s), 0 unchanged.')
    expectSecretKept(main, OWNER_TOKEN)
  })

  it('makes no commit when nothing changed, and says so', async () => {
    const dir = folder({ 'app.py': APP })
    const first = await runStep('main', t.step({ 'space-id': SPACE, operation: 'upload', folder: dir }))
    expect(first.exitCode).toBe(0)
    const again = await runStep('main', t.step({ 'space-id': SPACE, operation: 'upload', folder: dir }))
    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({
      committed: 'false',
      'commit-sha': first.outputs['commit-sha'],
      'commit-url': ''
    })
    expect(again.stdout).toContain('Nothing changed: no commit was made.')
    expect(t.hub.requests().filter(r => r.path.endsWith('/commit/main'))).toHaveLength(1)
  })

  it("fails fast with the build log when the commit's build fails, and keeps the outputs", async () => {
    t.hub.updateSpace(SPACE, {
      nextBuild: {
        outcome: 'BUILD_ERROR',
        errorMessage: 'Build failed',
        buildLog: ['ERROR: No module named gradio_pdf']
      }
    })
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'upload', folder: folder({ 'app.py': APP }) })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('BUILD_ERROR: Build failed')
    expect(main.stdout).toContain('ERROR: No module named gradio_pdf')
    expect(main.outputs.committed).toBe('true')
    expect(main.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
  })

  it('deletes only remote files that match `delete` and are not in the folder, never .gitattributes or README.md', async () => {
    t.hub.addSpace({
      id: 'acme/mirror',
      timings,
      files: {
        '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
        'README.md': '---\nsdk: gradio\n---\n',
        'app.py': 'old',
        'old/a.txt': 'a',
        'old/b.log': 'b',
        'keep.txt': 'k'
      }
    })
    const main = await runStep(
      'main',
      t.step({
        'space-id': 'acme/mirror',
        operation: 'upload',
        folder: folder({ 'app.py': APP }),
        delete: 'old/**\n.gitattributes\nREADME.md'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(Object.keys(t.hub.space('acme/mirror')?.files ?? {}).sort()).toEqual([
      '.gitattributes',
      'README.md',
      'app.py',
      'keep.txt'
    ])
  })

  it('opens a pull request instead of committing to main with create-pr', async () => {
    const head = t.hub.space(SPACE)?.head
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'upload',
        folder: folder({ 'app.py': APP }),
        'create-pr': 'true'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs['pr-url']).toMatch(/\/discussions\/1$/)
    expect(t.hub.space(SPACE)?.head).toBe(head)
  })

  it('puts the folder under path-in-repo', async () => {
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'upload',
        folder: folder({ 'index.md': '# docs' }),
        'path-in-repo': 'docs',
        wait: 'false'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(t.hub.space(SPACE)?.files['docs/index.md']).toBeDefined()
  })
})

describe('health-path and wait for a commit', () => {
  const t = useHub([{ id: SPACE, timings, app: { warmupMs: 1500, routes: { '/healthz': 200 } } }])

  it('waits until the app itself answers 2xx, after RUNNING', async () => {
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'upload',
        folder: folder({ 'app.py': APP }),
        'health-path': '/healthz'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(/The app answers 200 at http:\/\/127\.0\.0\.1:\d+\/healthz/)
    const probes = t.hub.appRequests(SPACE).filter(r => r.path === '/healthz')
    expect(probes.length).toBeGreaterThan(1)
    expect(probes.at(-1)?.status).toBe(200)
  })

  it('fails when the app never answers 2xx within the timeout', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'wait', 'health-path': '/missing', timeout: '4s' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('did not answer 2xx')
    expect(errors(main)[0]).toContain('last answer: 404')
  })

  it('waits for a given commit with operation: wait and sha', async () => {
    const upload = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'upload', folder: folder({ 'app.py': APP }), wait: 'false' })
    )
    const sha = upload.outputs['commit-sha'] ?? ''
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'wait', sha }))
    expect(main.exitCode).toBe(0)
    expect(t.hub.space(SPACE)?.serving).toBe(sha)
  })
})

describe('upload on a clock the test moves', () => {
  const t = useHub([{ id: SPACE, timings: { staleMs: 1500, buildMs: 300, startMs: 200 } }], {
    fakeClock: true
  })

  it('is not fooled by RUNNING from the previous commit', async () => {
    const before = t.hub.space(SPACE)?.serving
    const running = startStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'upload', folder: folder({ 'app.py': APP }) })
    )
    // The previous build answers RUNNING until the clock moves: the action must keep polling through it.
    const committed = (): number =>
      t.hub.requests().findIndex(r => r.path === `/api/spaces/${SPACE}/commit/main`)
    await until(() => committed() >= 0 && polledStages(t.hub, committed()).length >= 2, 20_000)
    expect(running.child.exitCode).toBeNull()
    t.clock.advance(1500)
    await until(() => polledStages(t.hub, committed()).some(p => p.stage !== 'RUNNING'), 20_000)
    t.clock.advance(500)
    const main = await running.result
    expect(main.exitCode).toBe(0)
    expect(main.outputs['commit-sha']).not.toBe(before)
    expect(t.hub.space(SPACE)?.serving).toBe(main.outputs['commit-sha'])
    const stages = polledStages(t.hub, committed()).map(p => p.stage)
    expect(stages.slice(0, 2)).toEqual(['RUNNING', 'RUNNING'])
    expect(stages.at(-1)).toBe('RUNNING')
  })
})
