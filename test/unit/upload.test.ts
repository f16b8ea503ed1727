import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { commitBody } from '../../src/operations/upload/commit.js'
import {
  blobSha1,
  expandBraces,
  gitBlobSha1,
  patternMatcher,
  READ_CHUNK_BYTES
} from '../../src/operations/upload/files.js'
import { commitText } from '../../src/operations/upload/operation.js'

describe('patternMatcher', () => {
  it('reads patterns the way .gitignore does', () => {
    const ignored = patternMatcher(['*.log', '/build', 'data/', 'docs/**/*.tmp'])
    expect(
      ['a.log', 'x/y/a.log', 'build/out.js', 'data/x.csv', 'src/data/x.csv', 'docs/a/b/c.tmp'].map(ignored)
    ).toEqual([true, true, true, true, true, true])
    expect(['app.py', 'src/build/x', 'datas/x', 'docs/a.txt'].map(ignored)).toEqual([
      false,
      false,
      false,
      false
    ])
  })

  it('lets a later pattern override an earlier one: ! re-includes, never means "everything except"', () => {
    const matched = patternMatcher(['*.csv', '!keep.csv'])
    expect(['a.csv', 'x/b.csv', 'keep.csv', 'x/keep.csv', 'app.py'].map(matched)).toEqual([
      true,
      true,
      false,
      false,
      false
    ])
    expect(patternMatcher(['!keep.log'])('app.py')).toBe(false)
    expect(patternMatcher(['!a.csv', '*.csv'])('a.csv')).toBe(true)
  })

  it('cannot re-include a file inside an excluded folder, as git', () => {
    const matched = patternMatcher(['data/', '!data/keep.txt'])
    expect(matched('data/keep.txt')).toBe(true)
  })

  it('anchors a leading slash; a trailing slash matches folders only', () => {
    const matched = patternMatcher(['/root.txt', 'cache/'])
    expect(['root.txt', 'x/root.txt', 'cache/a', 'x/cache/a', 'cache'].map(matched)).toEqual([
      true,
      false,
      true,
      true,
      false
    ])
  })

  it('expands braces, and skips comments and blank lines', () => {
    const matched = patternMatcher(['# old data', '', 'data/{old,new}.csv'])
    expect(['data/old.csv', 'data/new.csv', 'data/other.csv'].map(matched)).toEqual([true, true, false])
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef'])
    expect(expandBraces('x{y}z')).toEqual(['x{y}z'])
  })

  it('matches nothing without patterns', () => {
    expect(patternMatcher([])('anything')).toBe(false)
    expect(patternMatcher(['# only a comment'])('anything')).toBe(false)
  })
})

describe('commitBody', () => {
  it('streams NDJSON whose base64 equals the file content, across chunk boundaries', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'commit-lines-'))
    const content = Buffer.alloc(3 * 64 * 1024 + 7, 1).map((_, i) => i % 251)
    writeFileSync(path.join(dir, 'big.txt'), content)
    const file = { source: path.join(dir, 'big.txt'), path: 'big.txt', size: content.length }
    const pieces: Buffer[] = []
    for await (const piece of commitBody(
      {
        inline: [{ file }, { file, content: 'over' }],
        lfs: [{ file, oid: 'a'.repeat(64) }],
        deletions: ['old.txt'],
        unchanged: 0,
        ignoredByRepo: 0,
        parentCommit: 'c'.repeat(40)
      },
      { summary: 'Deploy', description: '' }
    )) {
      pieces.push(piece)
    }
    const lines = Buffer.concat(pieces)
      .toString()
      .trimEnd()
      .split('\n')
      .map(line => JSON.parse(line) as { key: string; value: Record<string, unknown> })
    expect(lines.map(l => l.key)).toEqual(['header', 'file', 'file', 'lfsFile', 'deletedFile'])
    expect(lines[0]?.value).toEqual({ summary: 'Deploy', description: '', parentCommit: 'c'.repeat(40) })
    expect(Buffer.from(String(lines[1]?.value.content), 'base64').equals(content)).toBe(true)
    expect(Buffer.from(String(lines[2]?.value.content), 'base64').toString()).toBe('over')
    expect(lines[3]?.value).toEqual({
      path: 'big.txt',
      algo: 'sha256',
      oid: 'a'.repeat(64),
      size: content.length
    })
  })

  it('carries every file whole across megabyte chunks: streamed, read whole, empty, and UTF-8 paths', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'commit-body-'))
    const contents: [string, Buffer][] = [
      ['big.bin', randomBytes(2.5 * 1024 * 1024 + 1)],
      ['exact.bin', randomBytes(READ_CHUNK_BYTES)],
      ['over.bin', randomBytes(READ_CHUNK_BYTES + 2)],
      ['empty.txt', Buffer.alloc(0)],
      ['données/é.txt', Buffer.from('ça va\n')],
      ...Array.from({ length: 30 }, (_, i): [string, Buffer] => [`small${i}.txt`, randomBytes(40_000 + i)])
    ]
    const inline = contents.map(([name, bytes]) => {
      const source = path.join(dir, name.replace('/', '-'))
      writeFileSync(source, bytes)
      return { file: { source, path: name, size: bytes.length } }
    })
    const chunks: Buffer[] = []
    const plan = { inline, lfs: [], deletions: [], unchanged: 0, ignoredByRepo: 0, parentCommit: null }
    for await (const chunk of commitBody(plan, { summary: 'Deploy', description: '' }))
      chunks.push(Buffer.from(chunk))
    expect(chunks.slice(0, -1).every(chunk => chunk.length > 1024 * 1024 - 4)).toBe(true)
    const lines = Buffer.concat(chunks)
      .toString()
      .trimEnd()
      .split('\n')
      .map(line => JSON.parse(line) as { key: string; value: { path?: string; content?: string } })
    // Compared as base64 text: jest compares buffers byte by byte, slowly.
    expect(lines.slice(1).map(line => [line.value.path, line.value.content])).toEqual(
      contents.map(([name, bytes]) => [name, bytes.toString('base64')])
    )
  })

  it('hashes like git', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'blob-'))
    writeFileSync(path.join(dir, 'hello'), 'hello\n')
    // `printf 'hello\n' | git hash-object --stdin`
    expect(await gitBlobSha1({ source: path.join(dir, 'hello'), path: 'hello', size: 6 })).toBe(
      'ce013625030ba8dba906f756967f9e9ca394464a'
    )
    expect(blobSha1('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })
})

describe('commitText', () => {
  it('names the GitHub repository, commit and run', () => {
    expect(
      commitText('', {
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SHA: '0123456789abcdef',
        GITHUB_RUN_ID: '42',
        GITHUB_SERVER_URL: 'https://github.com'
      })
    ).toEqual({
      summary: 'Upload from acme/app@0123456',
      description: 'Uploaded by https://github.com/acme/app/actions/runs/42'
    })
    expect(commitText('Release 1.2', {}).summary).toBe('Release 1.2')
    expect(commitText('', {}).summary).toBe('Upload with hf-space-action')
  })
})
