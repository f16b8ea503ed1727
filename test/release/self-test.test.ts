/**
 * .github/workflows/self-test.yml, run here as GitHub would run it: its emulator step starts the real emulator
 * command, its `uses: ./` steps run the built dist/ through the harness with the expressions of the file evaluated,
 * its check step runs in bash, and the post steps run in reverse order. A change to the workflow that would break
 * it on GitHub breaks this test first.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../harness/built-action.js'
import { runWorkflowJob, type WorkflowStep } from '../harness/workflow.js'

interface Workflow {
  permissions: Record<string, string>
  defaults?: { run?: { shell?: string } }
  jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>
}

const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/self-test.yml'), 'utf8')) as Workflow
const job = workflow.jobs['self-test']
if (!job) throw new Error('self-test.yml has no self-test job')
const steps = job.steps
const ours = steps.filter(step => step.uses === './')

describe('self-test workflow', () => {
  it('covers what a user does: an upgrade with teardown, a deploy, a dry-run, and outputs read by later steps', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' })
    // The harness runs `run:` steps as `shell: bash` does.
    expect(workflow.defaults?.run?.shell).toBe('bash')
    expect(ours.map(step => step.with?.operation)).toEqual([
      'request-hardware',
      'upload',
      'wait',
      'request-hardware'
    ])
    expect(ours[0]?.with?.teardown).toBe('restore')
    expect(ours.some(step => step.with?.['dry-run'] === 'true')).toBe(true)
    const readers = steps.filter(step => /steps\.[\w-]+\.outputs\./.test(JSON.stringify(step)))
    expect(readers.map(step => step.id ?? step.name)).toEqual(['verify', 'Check the outputs'])
  })

  it('passes through the harness, and the post step puts the hardware back', async () => {
    let after: unknown
    const result = await runWorkflowJob({
      steps,
      env: job.env ?? {},
      contexts: { github: { repository: 'acme/ci', run_id: '4242' }, secrets: {} },
      isThisAction: uses => uses === './',
      otherAction: step => `${step.uses ?? ''} prepares the runner; this test runs in a checkout with Node`,
      skip: { install: 'the test suite runs from an installed checkout' },
      runSteps: 'bash',
      workspace: ROOT,
      afterPosts: async env => {
        const response = await fetch(`${env.HF_ENDPOINT ?? ''}/api/spaces/acme/eval-app/runtime`, {
          headers: { authorization: `Bearer ${env.HF_TOKEN ?? ''}` }
        })
        after = await response.json()
      }
    })

    expect(result.failed ? result.transcript() : '').toBe('')
    expect(result.records.map(r => `${r.phase} ${r.label}: ${r.outcome}`)).toEqual([
      expect.stringMatching(/^main actions\/checkout@[0-9a-f]{40}: skipped$/),
      expect.stringMatching(/^main actions\/setup-node@[0-9a-f]{40}: skipped$/),
      'main install: skipped',
      'main emulator: success',
      'main upgrade: success',
      'main deploy: success',
      'main verify: success',
      'main rehearse: success',
      'main Check the outputs: success',
      'post rehearse: success',
      'post verify: success',
      'post deploy: success',
      'post upgrade: success'
    ])
    // The wait step was given the commit the deploy step made, through the expression in the workflow file.
    const verify = result.records.find(r => r.label === 'verify')
    expect(verify?.inputs?.sha).toBe(result.outputs.deploy?.['commit-sha'])
    expect(result.records.find(r => r.label === 'rehearse')?.result?.stdout).toContain('a10g-small')
    // teardown: restore, from the post step of the first step, and the sleep time the emulator seeds.
    expect(after).toMatchObject({ hardware: { requested: 'cpu-basic' }, gcTimeout: 172800 })
  }, 90_000)
})
