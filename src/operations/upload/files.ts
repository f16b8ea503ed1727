/**
 * The local side of an upload: which files a folder holds (minus what is never uploaded), where each goes in the
 * repo, and streamed hashes (git blob SHA-1 and sha256) so large folders are never held in memory.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, open, readdir } from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import { badInput } from '../../errors.js'

export interface LocalFile {
  /** Absolute path on disk. */
  source: string
  /** Path in the repo, with `/` separators. */
  path: string
  size: number
}

/** Never uploaded, whatever the inputs say: git internals and the workflows of the GitHub repository. */
const ALWAYS_IGNORED = ['.git/', '.github/']

/**
 * A matcher for .gitignore-style patterns: `*.log` matches at any depth, `/build` only at the root, `data/` a folder
 * and everything in it, `**` any number of folders.
 */
export function patternMatcher(patterns: string[]): (repoPath: string) => boolean {
  const globs = patterns.flatMap(toGlobs)
  return globs.length ? picomatch(globs, { dot: true }) : () => false
}

function toGlobs(raw: string): string[] {
  let pattern = raw.trim().replace(/^\.\//, '')
  if (pattern.endsWith('/')) pattern = pattern.slice(0, -1)
  const anchored = pattern.startsWith('/')
  if (anchored) pattern = pattern.slice(1)
  if (!pattern) return []
  const bases = anchored || pattern.includes('/') ? [pattern] : [pattern, `**/${pattern}`]
  return bases.flatMap(glob => [glob, `${glob}/**`])
}

/** Every regular file under `folder`, minus ignored ones. Symbolic links are skipped with a warning: never followed. */
export async function walkFolder(
  folder: string,
  pathInRepo: string,
  ignore: string[],
  warn: (text: string) => void
): Promise<LocalFile[]> {
  const root = path.resolve(folder)
  const info = await lstat(root).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw badInput(
      `Input \`folder\` "${folder}" is not a folder.`,
      'Check out the repository first, or fix the path.'
    )
  }
  const ignored = patternMatcher([...ALWAYS_IGNORED, ...ignore])
  const files: LocalFile[] = []
  const prefix = pathInRepo ? `${pathInRepo.replace(/^\/+|\/+$/g, '')}/` : ''
  async function visit(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name)
      const relative = path.relative(root, absolute).split(path.sep).join('/')
      if (ignored(relative)) continue
      if (entry.isSymbolicLink()) {
        warn(`Skipped ${relative}: symbolic links are not followed.`)
      } else if (entry.isDirectory()) {
        await visit(absolute)
      } else if (entry.isFile()) {
        files.push({ source: absolute, path: prefix + relative, size: (await lstat(absolute)).size })
      }
    }
  }
  await visit(root)
  return files
}

/** The first 512 bytes, base64: what preupload needs to tell text from binary. */
export async function sample(file: LocalFile): Promise<string> {
  const handle = await open(file.source, 'r')
  try {
    const buffer = Buffer.alloc(Math.min(512, file.size))
    await handle.read(buffer, 0, buffer.length, 0)
    return buffer.toString('base64')
  } finally {
    await handle.close()
  }
}

/** The git blob SHA-1 (the oid preupload reports for a regular file that exists). */
export function gitBlobSha1(file: LocalFile): Promise<string> {
  return hashFile(file, 'sha1', `blob ${file.size}\0`)
}

/** The git blob SHA-1 of text held in memory (a README with front matter put back). */
export function blobSha1(text: string): string {
  const bytes = Buffer.from(text)
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** The sha256 (the LFS oid). */
export function sha256(file: LocalFile): Promise<string> {
  return hashFile(file, 'sha256')
}

async function hashFile(file: LocalFile, algorithm: string, header = ''): Promise<string> {
  const hash = createHash(algorithm)
  if (header) hash.update(header)
  for await (const chunk of createReadStream(file.source)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
