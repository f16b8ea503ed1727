/**
 * Text from a Space or the Hub is shown, never run, and never carries a secret; inputs that could send the token
 * elsewhere, echo a secret or overflow a timer are refused before any request (issue 9, items 5, 7–10, 14, 16).
 */
import { describe, expect, it } from '@jest/globals'
import { errors, expectSecretKept, runStep, SPACE, useHub, OWNER_TOKEN } from './fixture.js'
import type { StepResult } from '../harness/built-action.js'

/** Lines a Space's code could print to take over the job, each marked PWNED. */
const HOSTILE = [
  '::save-state name=teardown::{"spaceId":"victim/space","endpoint":"http://evil.example","mode":"delete"}PWNED',
  '::set-output name=stage::PWNED',
  '::error::PWNED annotation',
  '::stop-commands::pwned-token',
  '::add-mask::PWNED',
  '::pwned-token::',
  '##[set-output name=hardware;]PWNED',
  '<script>alert("PWNED")</script><img src=x onerror=alert(1)>',
  '::set-output name=app-url::PWNED-after'
]

/**
 * The workflow commands the runner would run in this output: it reads each line that starts with `::` (or the
 * legacy `##[`), except between `::stop-commands::<token>` and `::<token>::`.
 */
function commandsRun(result: StepResult): string[] {
  const run: string[] = []
  let stoppedBy: string | null = null
  for (const raw of (result.stdout + '\n' + result.stderr).split('\n')) {
    const line = raw.trimStart()
    if (stoppedBy !== null) {
      if (line === `::${stoppedBy}::`) stoppedBy = null
      continue
    }
    if (!line.startsWith('::') && !line.startsWith('##[')) continue
    run.push(line)
    const stop = /^::stop-commands::(.*)$/.exec(line)
    if (stop) stoppedBy = stop[1] ?? ''
  }
  return run
}

/** Nothing from Space or Hub text was run: PWNED shows up only as the data of an error or a warning. */
function expectNothingRun(result: StepResult): void {
  const run = commandsRun(result)
  expect(run.filter(line => line.includes('PWNED') && !/^::(error|warning)::/.test(line))).toEqual([])
  expect(run.filter(line => /^::(save-state|set-output|set-env|add-path)/.test(line))).toEqual([])
  const files = [...Object.values(result.outputs), ...Object.values(result.state)]
  expect(files.filter(value => value.includes('PWNED'))).toEqual([])
  expect(result.summary).not.toMatch(/<script|<img/)
}

describe('text from the Space and the Hub is shown, never run', () => {
  const t = useHub([
    {
      id: SPACE,
      stage: 'BUILD_ERROR',
      errorMessage: 'Build failed ::set-output name=stage::PWNED <b>PWNED</b>',
      buildLog: HOSTILE
    }
  ])

  it('prints a hostile build log inside a stop-commands block, and keeps raw HTML out of the summary', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'wait' }))
    expect(main.exitCode).toBe(1)
    expect(errors(main).at(-1)).toContain('BUILD_ERROR')
    // The log was shown in full, inside a block whose token is fresh (not the one the Space tried to close).
    const block = /^::stop-commands::([0-9a-f-]{36})$/m.exec(main.stdout)
    expect(block).not.toBeNull()
    expect(main.stdout).toContain(`::${block?.[1] ?? ''}::`)
    for (const line of HOSTILE) expect(main.stdout).toContain(line)
    expect(main.summary).toContain('&#60;script&#62;')
    expectNothingRun(main)
  })

  it('shows a hostile Hub error message as data only', async () => {
    t.hub.fault({
      method: 'GET',
      path: `/api/spaces/${SPACE}/runtime`,
      kind: 'status',
      status: 400,
      headers: { 'x-error-message': '::set-output name=stage::PWNED' },
      body: JSON.stringify({ error: 'bad\n::save-state name=teardown::PWNED\n<script>PWNED</script>' })
    })
    const main = await runStep('main', t.step({ 'space-id': SPACE, teardown: 'pause' }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('::set-output name=stage::PWNED')
    expectNothingRun(main)
  })
})

describe('a secret that the Space prints cannot come back escaped', () => {
  const secret = `Pa&ss<w>"r'd-2026`
  const t = useHub([{ id: SPACE }])

  it('redacts the secret from the log and the summary before escaping them', async () => {
    t.hub.updateSpace(SPACE, {
      nextBuild: { outcome: 'RUNTIME_ERROR', errorMessage: `crashed with ${secret}` },
      runLog: [`connecting with API_KEY=${secret}`, 'Traceback: ValueError']
    })
    const main = await runStep(
      'main',
      t.step({
        'space-id': SPACE,
        operation: 'create',
        sdk: 'gradio',
        secrets: `API_KEY=\`${secret}\``
      })
    )
    expect(t.hub.secretValue(SPACE, 'API_KEY')).toBe(secret)
    expect(main.exitCode).toBe(1)
    expect(main.stdout).toContain('connecting with API_KEY=***')
    expect(main.summary).toContain('connecting with API_KEY=***')
    // Masked as it was given, and in the forms the summary and JSON would write it.
    expect(main.stdout).toContain(`::add-mask::${secret}`)
    expect(main.stdout).toContain('::add-mask::Pa&#38;ss&#60;w&#62;&#34;r&#39;d-2026')
    expectSecretKept(main, secret)
    expectSecretKept(main, 'Pa&#38;ss&#60;w&#62;&#34;r&#39;d-2026')
    expectSecretKept(main, 'Pa&amp;ss&lt;w&gt;')
  })
})

describe('inputs that could leak or misdirect are refused before any request', () => {
  const t = useHub([{ id: SPACE, app: { routes: { '/healthz': 200 } } }])

  it.each(['//other.hf.space/', '/\\other.hf.space/', 'https://other.hf.space/', '/ok\\..\\x', '/a b'])(
    'refuses health-path %j, and sends nothing anywhere',
    async path => {
      const main = await runStep(
        'main',
        t.step({ 'space-id': SPACE, operation: 'wait', 'health-path': path })
      )
      expect(main.exitCode).toBe(1)
      expect(errors(main)[0]).toContain("is not a path on the Space's own host")
      expect(t.hub.requests()).toEqual([])
      expect(t.hub.appRequests(SPACE)).toEqual([])
    }
  )

  it("sends the token with a health probe to the Space's own host only", async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'wait', 'health-path': '/healthz' })
    )
    expect(main.exitCode).toBe(0)
    const probes = t.hub.appRequests(SPACE)
    expect(probes.length).toBeGreaterThan(0)
    expect(probes.every(r => r.headers.authorization === `Bearer ${OWNER_TOKEN}`)).toBe(true)
  })

  it('never echoes a malformed secrets line, and masks it', async () => {
    const pem = [
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      'k3m+Q9/fR2xY0pZ8vL1tN4uW6eH5sD7aG3jK0bC9yXo2=='
    ]
    for (const line of pem) {
      const main = await runStep(
        'main',
        t.step({
          'space-id': SPACE,
          operation: 'set-secrets',
          secrets: `API_KEY=abc123\nPRIVATE_KEY=-----BEGIN PRIVATE KEY-----\n${line}\n-----END PRIVATE KEY-----`
        })
      )
      expect(main.exitCode).toBe(1)
      expect(errors(main)[0]).toContain('line 3')
      expect(main.stdout).toContain(`::add-mask::${line}`)
      expectSecretKept(main, line)
      expectSecretKept(main, line.slice(0, 20))
      expect(t.hub.requests()).toEqual([])
    }
  })

  it('refuses credentials in the endpoint without echoing them', async () => {
    const password = 'hunter2-endpoint-password'
    const endpoint = t.hub.url.replace('http://', `http://someone:${password}@`)
    const main = await runStep('main', {
      ...t.step({ 'space-id': SPACE }),
      inputs: { 'space-id': SPACE, endpoint }
    })
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('user name or password')
    expectSecretKept(main, password)
    expectSecretKept(main, 'someone')
    expect(t.hub.requests()).toEqual([])
  })

  it.each([
    [{ operation: 'set-sleep-time', 'sleep-time': '99999999999999999999' }, 'at most 2147483647 seconds'],
    [{ operation: 'request-hardware', hardware: 't4-small', 'sleep-time': '1000000000d' }, 'out of range'],
    [
      { operation: 'request-hardware', hardware: 't4-small', timeout: '25d' },
      'at most 2073600 seconds (24d)'
    ],
    [{ operation: 'request-hardware', hardware: 't4-small', 'safety-sleep-time': '0' }, 'at least 1s'],
    [{ timeout: '0s' }, 'at least 1s']
  ])('range-checks durations before any request: %j', async (inputs, message) => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, teardown: 'downgrade', ...inputs }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('is out of range')
    expect(errors(main)[0]).toContain(message)
    expect(t.hub.requests()).toEqual([])
  })

  it.each([
    [{ 'max-hourly-cost': '1' }, '`max-hourly-cost` is only used by request-hardware'],
    [{ 'allowed-hardware': 't4-*' }, '`allowed-hardware` is only used by request-hardware'],
    [{ operation: 'set-secrets', secrets: '# API_KEY=later\n\n# nothing yet' }, 'holds no KEY=value line'],
    [{ operation: 'delete-secrets', keys: ', ,' }, '`keys` names no key'],
    [{ operation: 'request-hardware', hardware: 't4-small', 'allowed-hardware': ', ,' }, 'would allow any']
  ])('refuses an input that would silently do nothing: %j', async (inputs, message) => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, ...inputs }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain(message)
    expect(t.hub.requests()).toEqual([])
  })

  it('keeps the query of a same-origin redirect', async () => {
    const runtime = `/api/spaces/${SPACE}/runtime`
    t.hub.fault({
      method: 'GET',
      path: runtime,
      kind: 'status',
      status: 307,
      headers: { location: `${runtime}?expand=kept` }
    })
    const main = await runStep('main', t.step({ 'space-id': SPACE }))
    expect(main.exitCode).toBe(0)
    const reads = t.hub.requests().filter(r => r.path === runtime)
    expect(reads.map(r => r.query)).toEqual([{}, { expand: 'kept' }])
  })
})
