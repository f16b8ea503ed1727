import { describe, expect, it } from '@jest/globals'
import { readGitHub, type InputSource } from '../../src/plan/read-inputs.js'
import { commentMarker, fenced, MAX_COMMENT, renderComment } from '../../src/report/pr-comment.js'
import { mermaidText, renderGantt, Timeline } from '../../src/report/timeline.js'

function source(inputs: Record<string, string>): InputSource & { masked: string[] } {
  const masked: string[] = []
  return { get: name => inputs[name] ?? '', env: {}, mask: secret => masked.push(secret), masked }
}

describe('GitHub inputs', () => {
  it('are off unless environment or pr-comment asks, and mask the token', () => {
    expect(readGitHub(source({ 'github-token': 'ghs_x' }))).toBeUndefined()
    const src = source({ 'github-token': 'ghs_x', environment: 'preview' })
    expect(readGitHub(src)).toEqual({
      token: 'ghs_x',
      environment: 'preview',
      production: false,
      deployment: 'create',
      prComment: false
    })
    expect(src.masked).toEqual(['ghs_x'])
  })

  it.each([
    [{ 'pr-comment': 'yes' }, 'true or false'],
    [{ 'pr-comment': 'true' }, '`github-token` is empty'],
    [{ 'production-environment': 'true' }, 'need `environment`'],
    [{ environment: 'preview', deployment: 'later', 'github-token': 't' }, 'not one of: create, outputs']
  ])('reject %j', (inputs, message) => {
    expect(() => readGitHub(source(inputs))).toThrow(message)
  })
})

describe('the pull request comment', () => {
  const facts = {
    state: 'failed' as const,
    spaceId: 'acme/private-app',
    spaceUrl: 'https://huggingface.co/spaces/acme/private-app',
    stage: 'BUILD_ERROR',
    runUrl: 'https://github.com/acme/ci/actions/runs/1',
    error: 'acme/private-app is BUILD_ERROR',
    logs: { kind: 'build', lines: ['ok', 'a ``` fence and ```` four', 'x'.repeat(2000)] }
  }

  it('marks the Space by a hash, and fences the log longer than any backtick run in it', () => {
    const body = renderComment(facts)
    expect(commentMarker('acme/private-app')).toMatch(/^<!-- hf-space-action:space=[0-9a-f]{16} -->$/)
    expect(commentMarker('acme/private-app')).not.toContain('private-app')
    expect(body.startsWith(commentMarker('acme/private-app'))).toBe(true)
    expect(body).toContain('`````text\nok\na ``` fence and ```` four\n')
    expect(body).toContain('❌ failed')
    expect(body.split('\n').every(line => line.length <= 501)).toBe(true)
  })

  it('stays under GitHub’s limit with a huge log', () => {
    const lines = Array.from({ length: 40 }, () => 'y'.repeat(5000))
    expect(renderComment({ ...facts, logs: { kind: 'run', lines } }).length).toBeLessThanOrEqual(MAX_COMMENT)
  })

  it('fences with at least three backticks', () => {
    expect(fenced(['plain'])).toBe('```text\nplain\n```\n')
  })
})

describe('the timeline', () => {
  it('is a raw mermaid gantt block with escaped labels, durations and the cost', () => {
    const timeline = new Timeline(0)
    timeline.stage('BUILDING', null, 1000)
    timeline.stage('BUILDING', null, 2000)
    timeline.stage('RUNNING', 't4-small', 61_000)
    timeline.add({ label: 'health check', start: 61_000, end: 62_000 })
    const text = renderGantt('acme/app: step', timeline.segments(3_661_000), flavor =>
      flavor === 't4-small' ? 0.6 : undefined
    )
    expect(text.startsWith('```mermaid\ngantt\n')).toBe(true)
    expect(text).toContain('title acme/app#58; step')
    expect(text).toContain('    BUILDING (1m) :1000, 61000')
    expect(text).toContain('RUNNING on t4-small (1h, $0.60) :61000, 3661000')
    expect(text).toContain('health check (1s) :61000, 62000')
    expect(text.endsWith('```\n')).toBe(true)
  })

  it('escapes what ends a Mermaid label or statement', () => {
    expect(mermaidText('a: b; c #1\nd')).toBe('a#58; b#59; c #35;1 d')
  })
})
