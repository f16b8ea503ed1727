/** The `hub-emulator` bin (`npx hub-emulator`, `npm run emulator`): starts, seeds, prints its URL and tokens, and exits cleanly on SIGTERM / SIGINT. */
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import { call, obj, TOKENS } from './helpers.js'

const BIN = path.join(import.meta.dirname, '..', 'bin', 'hub-emulator.js')

let child: ChildProcessWithoutNullStreams | undefined

interface Started {
  url: string
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startCli(port: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, HUB_EMULATOR_PORT: port }
  delete env.NODE_OPTIONS
  const proc = spawn(process.execPath, [BIN], { env })
  child = proc
  let stdout = ''
  let stderr = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => {
    proc.on('exit', (code, signal) => resolve({ code, signal }))
  })
  return new Promise((resolve, reject) => {
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      // The whole banner is printed at once; wait for its last line.
      const match = /^Hub emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)
      if (match && stdout.includes('Demo Space')) resolve({ url: match[1]!, output: () => stdout, exited })
    })
    void exited.then(({ code }) => reject(new Error(`emulator exited early (${code}): ${stdout}${stderr}`)))
  })
}

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  child = undefined
})

describe('cli', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the demo Space and exits 0 on %s', async signal => {
    const started = await startCli('0')
    const lines = started.output().split('\n')
    expect(lines[0]).toBe(`Hub emulator listening on ${started.url}`)
    for (const token of Object.values(TOKENS)) expect(started.output()).toContain(token)

    const runtime = await call(started.url, 'GET', '/api/spaces/acme/eval-app/runtime')
    expect(runtime.status).toBe(200)
    expect(runtime.json).toMatchObject({
      stage: 'RUNNING',
      hardware: { current: 'cpu-basic', requested: 'cpu-basic' },
      gcTimeout: 172800
    })
    const info = await call(started.url, 'GET', '/api/spaces/acme/eval-app')
    expect(info.json).toMatchObject({ sdk: 'gradio', private: false })

    // Keyless auth: the printed OIDC settings work against the demo Space's trusted publisher.
    const requestUrl = `${started.url}/__oidc/token?api-version=2.0`
    expect(started.output()).toContain(`ACTIONS_ID_TOKEN_REQUEST_URL=${requestUrl}`)
    expect(started.output()).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN=gh_oidc_request_token_0123456789')
    const idToken = await call(`${requestUrl}&audience=https%3A%2F%2Fhuggingface.co`, 'GET', '', {
      token: 'gh_oidc_request_token_0123456789'
    })
    expect(idToken.status).toBe(200)
    const exchanged = await call(started.url, 'POST', '/oauth/token', {
      body: {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        subject_token: obj(idToken).value,
        resource: 'spaces/acme/eval-app'
      }
    })
    expect(exchanged.status).toBe(200)
    expect(obj(exchanged).access_token).toMatch(/^hf_jwt_/)

    child?.kill(signal)
    expect(await started.exited).toEqual({ code: 0, signal: null })
  })

  it('refuses an invalid HUB_EMULATOR_PORT', async () => {
    await expect(startCli('not-a-port')).rejects.toThrow(/HUB_EMULATOR_PORT/)
  })
})
