/** The repository's own license, and the third-party licenses ncc writes next to each bundle (`--license`). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../harness/built-action.js'

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  license: string
  dependencies: Record<string, string>
}
/** licenses.txt lists each package as its name alone on a line, then its license name. */
const bundled = (entry: string): string[] =>
  readFileSync(path.join(ROOT, 'dist', entry, 'licenses.txt'), 'utf8')
    .split('\n')
    .filter(line => line in pkg.dependencies)

describe('licenses', () => {
  it('LICENSE is the license package.json names', () => {
    expect(pkg.license).toBe('MIT')
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} the hf-space-action authors\n/
    )
  })

  it('every runtime dependency bundled in dist/main is credited in its licenses.txt', () => {
    expect(bundled('main').sort()).toEqual(Object.keys(pkg.dependencies).sort())
    // The post step bundles less (no upload), and credits what it bundles.
    expect(bundled('post')).toEqual(expect.arrayContaining(['@actions/core', 'undici']))
  })

  it('the official client is a devDependency only: ncc bundles none of it into dist/', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >
    expect(manifest.devDependencies?.['@huggingface/hub']).toBeDefined()
    expect(manifest.dependencies?.['@huggingface/hub']).toBeUndefined()
    for (const entry of ['main', 'post']) {
      // ncc lists every bundled package in licenses.txt, one name at the start of a line.
      expect(readFileSync(path.join(ROOT, 'dist', entry, 'licenses.txt'), 'utf8')).not.toMatch(
        /^@huggingface\//m
      )
    }
  })
})
