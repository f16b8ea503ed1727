/**
 * A loopback stand-in for the GitHub REST API, as much of it as the action uses: deployments and their statuses,
 * issue comments (paginated with Link headers, 100 at most per page), and `GET /user`, which a GITHUB_TOKEN may not
 * call (403, as on GitHub). Tokens: a write token (the Actions bot), a read-only one (a fork's pull request), and a
 * personal one. Also writes the event payloads the runner hands a step (push, pull_request same-repo and fork) and
 * the environment that points the action at this server, as GITHUB_API_URL does on GitHub Enterprise.
 */
import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { listenOnLoopback } from './loopback.js'

export const WRITE_TOKEN = 'ghs_emulatorwritetoken0000000000000000'
export const READ_ONLY_TOKEN = 'ghs_emulatorforkreadonly000000000000000'
export const PERSONAL_TOKEN = 'ghp_emulatorpersonal00000000000000000000'
export const REPO = 'acme/ci'
export const HEAD_SHA = '1111111111111111111111111111111111111111'
export const MERGE_SHA = '2222222222222222222222222222222222222222'
export const PR_NUMBER = 7

const IDENTITIES: Record<string, { login: string; type: string; readOnly: boolean; app: boolean }> = {
  [WRITE_TOKEN]: { login: 'github-actions[bot]', type: 'Bot', readOnly: false, app: true },
  [READ_ONLY_TOKEN]: { login: 'github-actions[bot]', type: 'Bot', readOnly: true, app: true },
  [PERSONAL_TOKEN]: { login: 'octocat', type: 'User', readOnly: false, app: false }
}

export interface Deployment {
  id: number
  ref: string
  environment: string
  required_contexts: string[]
  auto_merge: boolean
  transient_environment: boolean
  production_environment: boolean
  payload: unknown
  statuses: { state: string; environment_url?: string; log_url?: string; description?: string }[]
}

export interface Comment {
  id: number
  body: string
  user: { login: string; type: string }
}

export interface GitHubRequest {
  method: string
  path: string
  query: Record<string, string>
  status: number
  authorization: string
}

export interface GitHubEmulator {
  url: string
  deployments: Deployment[]
  comments: Map<number, Comment[]>
  requests: GitHubRequest[]
  /** Adds comments to a pull request (older ones, by other people or by the bot). */
  addComments(issue: number, comments: { body: string; login?: string }[]): void
  /** Requests that changed something. */
  writes(): string[]
  close(): Promise<void>
}

export async function startGitHubEmulator(): Promise<GitHubEmulator> {
  const deployments: Deployment[] = []
  const comments = new Map<number, Comment[]>()
  const requests: GitHubRequest[] = []
  let nextId = 1000
  let url = ''

  const server = http.createServer((req, res) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (text += chunk))
    req.on('end', () => {
      const parsed = new URL(req.url ?? '/', 'http://emulator')
      const authorization = req.headers.authorization ?? ''
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
        requests.push({
          method: req.method ?? '',
          path: parsed.pathname,
          query: Object.fromEntries(parsed.searchParams),
          status,
          authorization
        })
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(body === undefined ? '' : JSON.stringify(body))
      }
      const token = /^(?:token|bearer) (.+)$/i.exec(authorization)?.[1] ?? ''
      const who = IDENTITIES[token]
      if (!who) return send(401, { message: 'Bad credentials' })
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>
      const method = req.method ?? 'GET'
      const writing = method !== 'GET'
      if (writing && who.readOnly) return send(403, { message: 'Resource not accessible by integration' })

      if (method === 'GET' && parsed.pathname === '/user') {
        if (who.app) return send(403, { message: 'Resource not accessible by integration' })
        return send(200, { login: who.login, type: who.type })
      }
      const repo = new RegExp(`^/repos/${REPO}(/.*)$`).exec(parsed.pathname)?.[1]
      if (repo === undefined) return send(404, { message: 'Not Found' })

      if (method === 'POST' && repo === '/deployments') {
        const deployment: Deployment = {
          id: nextId++,
          ref: str(body.ref),
          environment: str(body.environment) || 'production',
          required_contexts: (body.required_contexts as string[] | undefined) ?? ['(all)'],
          auto_merge: (body.auto_merge as boolean | undefined) ?? true,
          transient_environment: Boolean(body.transient_environment),
          production_environment: Boolean(body.production_environment),
          payload: body.payload,
          statuses: []
        }
        deployments.push(deployment)
        return send(201, { id: deployment.id, ref: deployment.ref, environment: deployment.environment })
      }
      const status = /^\/deployments\/(\d+)\/statuses$/.exec(repo)
      if (status) {
        const deployment = deployments.find(d => d.id === Number(status[1]))
        if (!deployment) return send(404, { message: 'Not Found' })
        if (method === 'GET') return send(200, deployment.statuses)
        const entry = {
          state: str(body.state),
          ...(body.environment_url ? { environment_url: str(body.environment_url) } : {}),
          ...(body.log_url ? { log_url: str(body.log_url) } : {}),
          ...(body.description ? { description: str(body.description) } : {})
        }
        deployment.statuses.push(entry)
        return send(201, { id: nextId++, ...entry })
      }
      const list = /^\/issues\/(\d+)\/comments$/.exec(repo)
      if (list) {
        const issue = Number(list[1])
        const all = comments.get(issue) ?? []
        if (method === 'POST') {
          const comment = {
            id: nextId++,
            body: str(body.body),
            user: { login: who.login, type: who.type }
          }
          comments.set(issue, [...all, comment])
          return send(201, comment)
        }
        const perPage = Math.min(100, Number(parsed.searchParams.get('per_page') ?? 30))
        const page = Number(parsed.searchParams.get('page') ?? 1)
        const last = Math.max(1, Math.ceil(all.length / perPage))
        const link = (n: number, rel: string): string =>
          `<${url}${parsed.pathname}?per_page=${perPage}&page=${n}>; rel="${rel}"`
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])
        ]
        return send(
          200,
          all.slice((page - 1) * perPage, page * perPage),
          links.length ? { link: links.join(', ') } : {}
        )
      }
      const one = /^\/issues\/comments\/(\d+)$/.exec(repo)
      if (one && method === 'PATCH') {
        for (const list of comments.values()) {
          const comment = list.find(c => c.id === Number(one[1]))
          if (!comment) continue
          if (comment.user.login !== who.login) return send(403, { message: 'Must be the author' })
          comment.body = str(body.body)
          return send(200, comment)
        }
        return send(404, { message: 'Not Found' })
      }
      send(404, { message: 'Not Found' })
    })
  })
  const listening = await listenOnLoopback(server)
  url = listening.url
  return {
    url,
    deployments,
    comments,
    requests,
    addComments(issue, added) {
      const list = comments.get(issue) ?? []
      for (const { body, login = 'someone' } of added)
        list.push({ id: nextId++, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } })
      comments.set(issue, list)
    },
    writes: () => requests.filter(r => r.method !== 'GET').map(r => `${r.method} ${r.path} ${r.status}`),
    close: listening.close
  }
}

export type EventKind = 'push' | 'pull_request' | 'fork' | 'dependabot'

/** The event payload the runner hands a step for `kind`, at GITHUB_EVENT_PATH. */
export function eventPayload(kind: EventKind, headSha: string = HEAD_SHA): Record<string, unknown> {
  const repo = { full_name: REPO, name: 'ci', owner: { login: 'acme' } }
  const head = kind === 'fork' ? { full_name: 'outsider/ci', name: 'ci', owner: { login: 'outsider' } } : repo
  return kind === 'push'
    ? { ref: 'refs/heads/main', after: MERGE_SHA, repository: repo }
    : {
        action: 'synchronize',
        number: PR_NUMBER,
        pull_request: {
          number: PR_NUMBER,
          user: { login: kind === 'dependabot' ? 'dependabot[bot]' : kind === 'fork' ? 'outsider' : 'dev' },
          head: { sha: headSha, ref: 'feature', repo: head },
          base: { sha: MERGE_SHA, ref: 'main', repo }
        },
        repository: repo
      }
}

/** The runner's environment for an event, without the payload file: what @actions/github's context reads. */
export function eventEnv(github: Pick<GitHubEmulator, 'url'>, kind: EventKind): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: kind === 'push' ? 'push' : 'pull_request',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: kind === 'push' ? 'refs/heads/main' : `refs/pull/${PR_NUMBER}/merge`,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example.com',
    GITHUB_ACTOR: kind === 'dependabot' ? 'dependabot[bot]' : 'dev'
  }
}

/** The runner's environment for an event: the payload file, the event name, the commit, and this API. */
export function runnerEnv(
  github: Pick<GitHubEmulator, 'url'>,
  kind: EventKind,
  headSha: string = HEAD_SHA
): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'github-event-'))
  const file = path.join(dir, 'event.json')
  writeFileSync(file, JSON.stringify(eventPayload(kind, headSha)))
  return { GITHUB_EVENT_PATH: file, ...eventEnv(github, kind) }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
