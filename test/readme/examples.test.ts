/**
 * Every workflow snippet in README.md is a tested example. Each one must use only inputs and outputs that action.yml
 * declares; the ones marked `<!-- example: run -->` (one job) or `<!-- example: run-each -->` (each step on its own)
 * also run: the built action through the harness, against an emulated Hub, with their `${{ … }}` expressions
 * evaluated and their post steps run, and every output a later step reads must have been set.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { DEFAULT_ACCOUNTS, startEmulator, type Emulator } from '../../packages/hub-emulator/src/index.js'
import { ROOT } from '../harness/built-action.js'
import { runWorkflowJob, type WorkflowStep } from '../harness/workflow.js'
import {
  checkSnippet,
  extractSnippets,
  lintSnippet,
  snippetJobs,
  tableNames,
  THIS_ACTION,
  type ActionMetadata,
  type Snippet,
  type SnippetJob
} from './snippets.js'

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const snippets = extractSnippets(readme)
const OWNER_TOKEN = DEFAULT_ACCOUNTS.find(account => account.name === 'acme')?.token ?? ''
const timings = { staleMs: 200, buildMs: 400, startMs: 200 }
const ours = (step: WorkflowStep): boolean => step.uses !== undefined && THIS_ACTION.test(step.uses)

describe('README examples', () => {
  it('are found, and most of them run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5)
    expect(snippets.filter(s => s.run).length).toBeGreaterThanOrEqual(5)
  })

  it.each(snippets.map(s => [s.line, s] as const))(
    'README.md:%i uses only what action.yml declares',
    (_, s) => {
      expect(checkSnippet(s, action)).toEqual([])
    }
  )

  it('document every input and output of action.yml in their tables, and nothing else', () => {
    expect(tableNames(readme, '## Inputs').sort()).toEqual(Object.keys(action.inputs).sort())
    expect(tableNames(readme, '## Outputs').sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it.each(snippets.map(s => [s.line, s] as const))(
    'README.md:%i is a valid workflow for actionlint',
    async (_, s) => {
      expect(await lintSnippet(s)).toEqual([])
    }
  )

  describe('the checks', () => {
    const check = (text: string): string[] => checkSnippet({ line: 10, text }, action)

    it('name the README line of an unknown input, operation, teardown or output', () => {
      const text = [
        '- uses: hf-space-action/hf-space-action@v1',
        '  id: gpu',
        '  with:',
        '    space-id: acme/demo',
        '    operation: request-hardwre',
        '    hardwar: t4-small',
        '    teardown: restor',
        '- run: echo ${{ steps.gpu.outputs.app-adress }} ${{ steps.gpux.outputs.stage }}'
      ].join('\n')
      expect(check(text)).toEqual([
        expect.stringMatching(/^README\.md:14: "request-hardwre" is not an operation/),
        'README.md:15: "hardwar" is not an input of action.yml',
        expect.stringMatching(/^README\.md:16: "restor" is not a teardown/),
        'README.md:17: steps.gpu.outputs.app-adress: "app-adress" is not an output of action.yml',
        'README.md:17: steps.gpux.outputs.stage: no step in this example has the id "gpux"'
      ])
    })

    it('run actionlint on the snippet as a workflow, naming README lines', async () => {
      const text = [
        'permissions:',
        '  id-token: writ',
        'steps:',
        '  - uses: hf-space-action/hf-space-action@v1',
        '    with:',
        '      space-id: acme/demo',
        '      dry-run: ${{ github.event_nam }}'
      ].join('\n')
      expect(await lintSnippet({ line: 10, text })).toEqual([
        expect.stringMatching(/^README\.md:11: "writ" is invalid for permission of scope "id-token"/),
        expect.stringMatching(/^README\.md:16: property "event_nam" is not defined/)
      ])
    })

    it('require space-id, and leave other actions alone', () => {
      const text = [
        '- uses: actions/checkout@v5',
        '  with: { fetch-depth: 0 }',
        '- uses: hf-space-action/hf-space-action@v1',
        '  with: { operation: pause }'
      ].join('\n')
      expect(check(text)).toEqual(['README.md:12: the required input "space-id" is missing'])
    })
  })

  describe('that run', () => {
    let hub: Emulator | undefined
    afterEach(async () => {
      await hub?.close()
      hub = undefined
    })

    const runnable: [string, Snippet, SnippetJob][] = snippets.flatMap(snippet =>
      snippetJobs(snippet).flatMap((job): [string, Snippet, SnippetJob][] => {
        if (snippet.run === 'run') return [[`README.md:${snippet.line}`, snippet, job]]
        if (snippet.run !== 'run-each') return []
        const steps = job.steps.filter(ours)
        return steps.map((step, i) => [
          `README.md:${snippet.line} (${i + 1} of ${steps.length})`,
          snippet,
          { ...job, steps: [step] }
        ])
      })
    )

    it.each(runnable)('%s runs against the emulator', async (_, snippet, job) => {
      hub = await startEmulator()
      seed(hub)
      const result = await runWorkflowJob({
        steps: job.steps,
        env: job.env,
        contexts: contexts(snippet),
        isThisAction: uses => THIS_ACTION.test(uses),
        otherAction: step => `${step.uses ?? ''} is not this action`,
        runSteps: 'evaluate',
        runnerEnv: runnerEnv(hub, job),
        workspace: workspace()
      })
      // The transcript names each step's outcome, with the log of a failed one.
      expect(result.failed ? `README.md:${snippet.line}\n${result.transcript()}` : '').toBe('')
      expect(result.records.filter(r => r.result).length).toBeGreaterThan(0)
      // What the README promises at the top: no paid hardware is left running after the job.
      const left = [
        'acme/eval-app',
        'acme/demo',
        'acme/eval-template',
        'acme/demo-pr-7',
        'acme/eval-run-4242'
      ]
        .map(
          id =>
            [
              id,
              (hub?.space(id)?.runtime as { hardware?: { requested?: string } } | undefined)?.hardware
                ?.requested
            ] as const
        )
        .filter(([, hardware]) => hardware !== undefined && hardware !== 'cpu-basic')
      expect(left).toEqual([])
    })
  })
})

/** The Spaces the README's examples name, as they would exist on the Hub before the job. */
function seed(hub: Emulator): void {
  hub.addSpace({ id: 'acme/eval-app', timings, trustedPublishers: [{ repository: 'acme/ci' }] })
  hub.addSpace({ id: 'acme/demo', timings, app: { routes: { '/healthz': 200 } } })
  hub.addSpace({ id: 'acme/eval-template', timings })
}

/** A pull-request run of acme/ci; every secret the example names has a value (HF_TOKEN: the owner's token). */
function contexts(snippet: Snippet): { github: Record<string, unknown>; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {}
  for (const [, name = ''] of snippet.text.matchAll(/secrets\.(\w+)/g)) {
    secrets[name] = name === 'HF_TOKEN' ? OWNER_TOKEN : `value-of-${name}`
  }
  return {
    github: { event_name: 'pull_request', event: { number: 7 }, run_id: '4242', repository: 'acme/ci' },
    secrets
  }
}

/** The endpoint, as `npm run emulator` users set it, and the OIDC request variables of a job that may mint tokens. */
function runnerEnv(hub: Emulator, job: SnippetJob): Record<string, string> {
  return {
    HF_ENDPOINT: hub.url,
    ...(job.idToken
      ? {
          ACTIONS_ID_TOKEN_REQUEST_URL: hub.oidcRequestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: hub.oidc.requestToken
        }
      : {})
  }
}

/** A checkout with the folder the deploy example uploads (`folder: app`), and files its `ignore:` leaves out. */
function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hf-readme-'))
  const files: Record<string, string> = {
    'app/app.py': 'import gradio as gr\ngr.Interface(lambda x: x, "text", "text").launch()\n',
    'app/requirements.txt': 'gradio\n',
    'app/explore.ipynb': '{}',
    'app/tests/test_app.py': 'def test_app():\n    pass\n'
  }
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), content)
  }
  return root
}
