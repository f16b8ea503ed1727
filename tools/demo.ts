/**
 * `npm run demo`: the action against the embedded Hub emulator, as a workflow would run it. It borrows a GPU for a
 * job (request-hardware t4-small with a 30 m sleep time and teardown: restore), waits until the Space really runs on
 * it, prints the step outputs, then runs the post step that puts the old hardware back.
 */
import { startEmulator, DEFAULT_ACCOUNTS } from '../packages/hub-emulator/src/index.js'
import { startStep, runStep, type StepResult } from '../test/harness/built-action.js'

const SPACE = 'acme/eval-app'
const token = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''

/** The runner shows workflow commands as annotations and hides masked values; so does the demo. */
function show(text: string): string {
  return text
    .split('\n')
    .filter(line => line && !line.startsWith('::add-mask::') && !line.startsWith('::debug::'))
    .map(line =>
      line
        .replace(/^::(warning|error)::/, (_m, kind: string) => `${kind === 'error' ? 'Error' : 'Warning'}: `)
        .replace(/^::group::/, '▸ ')
        .replace(/^::endgroup::$/, '')
        .replaceAll(token, '***')
    )
    .map(line => `    ${line}`)
    .join('\n')
}

function outputs(step: StepResult): string {
  return Object.entries(step.outputs)
    .map(([name, value]) => `    ${name.padEnd(20)} ${value}`)
    .join('\n')
}

const hub = await startEmulator()
hub.addSpace({ id: SPACE, timings: { staleMs: 1000, buildMs: 2000, startMs: 1000 } })
console.log(`Hub emulator on ${hub.url}; ${SPACE} runs on cpu-basic.\n`)

const inputs = {
  'space-id': SPACE,
  operation: 'request-hardware',
  hardware: 't4-small',
  'sleep-time': '30m',
  teardown: 'restore',
  endpoint: hub.url
}
console.log('Step: uses: ./  with:', JSON.stringify(inputs), '\n')
const main = await startStep('main', { inputs, env: { HF_TOKEN: token } }).result
console.log(show(main.stdout))
console.log(
  `\n  exit ${main.exitCode} after ${(main.durationMs / 1000).toFixed(1)} s; outputs:\n${outputs(main)}\n`
)

console.log('Post step (runs even when the job fails or is cancelled):')
const post = await runStep('post', { inputs, env: { HF_TOKEN: token }, state: main.state })
console.log(show(post.stdout))

const calls = hub
  .requests()
  .map(r => `    ${r.method.padEnd(5)} ${r.path}${r.body ? ` ${r.body}` : ''} → ${r.status}`)
console.log(
  `\nWhat the Hub saw (${calls.length} requests; the token only in the Authorization header):\n${calls.join('\n')}`
)
const runtime = hub.space(SPACE)?.runtime as { hardware?: { requested?: string } } | undefined
console.log(`\n${SPACE} is set back to ${runtime?.hardware?.requested ?? '?'}.`)
await hub.close()
process.exit(main.exitCode === 0 && post.exitCode === 0 ? 0 : 1)
