/**
 * The local side of an upload: which files a folder holds (minus what is never uploaded), where each goes in the
 * repo, and streamed hashes (git blob SHA-1 and sha256) so large folders are never held in memory.
 *
 * Every read goes through `openChecked`: the file is opened without following a symbolic link and the opened
 * descriptor must be the very file the walk saw (device, inode, type, size), so a file swapped for a link (or for
 * another file) between the walk and the read is refused, never uploaded.
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import ignore from 'ignore'
import { ActionError, badInput } from '../../errors.js'
import { mapInParallel } from '../../parallel.js'

export interface LocalFile {
  /** Absolute path on disk. */
  source: string
  /** Path in the repo, with `/` separators. */
  path: string
  size: number
  /** Device and inode at walk time: a read checks it opened the same file. Absent: not checked (tests). */
  id?: { dev: number; ino: number }
}

/** What the walk found: the files to upload, and what else the folder holds, for `delete` to leave alone. */
export interface Walk {
  files: LocalFile[]
  /** Whether a repo path is in the folder (uploaded, ignored, a link, or inside an ignored folder). */
  has: (repoPath: string) => boolean
}

/** Files of one folder looked at (lstat) at once. */
const WALK_LANES = 16

/** Never uploaded, whatever the inputs say: git internals and the workflows of the GitHub repository. */
const ALWAYS_IGNORED = ['.git/', '.github/']

/**
 * A matcher with .gitignore semantics (the `ignore` package, which follows git's own rules): later patterns override
 * earlier ones, `!` re-includes, a trailing `/` matches a folder (and so everything in it), a leading `/` anchors to
 * the root, `*.log` matches at any depth. Braces (`data/{old,new}.csv`) are expanded first: gitignore has none, but
 * the inputs have always accepted them.
 */
export function patternMatcher(patterns: string[]): (repoPath: string) => boolean {
  const lines = patterns.flatMap(expandBraces).map(p => p.trim().replace(/^(!?)\.\//, '$1'))
  if (!lines.some(line => line && !line.startsWith('#'))) return () => false
  const matcher = ignore({ allowRelativePaths: true }).add(lines)
  return repoPath => matcher.ignores(repoPath)
}

/** `a{b,c{d,e}}f` → abf, acdf, acef. A brace without a top-level comma stays as written. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{')
  if (open < 0) return [pattern]
  let depth = 0
  const commas: number[] = []
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '{') depth++
    else if (c === ',' && depth === 1) commas.push(i)
    else if (c === '}' && --depth === 0) {
      const head = pattern.slice(0, open)
      const tail = expandBraces(pattern.slice(i + 1))
      if (!commas.length) return tail.map(t => pattern.slice(0, i + 1) + t)
      const bounds = [open, ...commas, i]
      const options = bounds
        .slice(1)
        .flatMap((end, k) => expandBraces(pattern.slice((bounds[k] ?? 0) + 1, end)))
      return options.flatMap(option => tail.map(t => head + option + t))
    }
  }
  return [pattern]
}

/**
 * Every regular file under `folder`, minus ignored ones. `folder` itself may be a link to a folder; links inside it
 * are skipped with a warning, never followed.
 */
export async function walkFolder(
  folder: string,
  pathInRepo: string,
  ignored: string[],
  warn: (text: string) => void
): Promise<Walk> {
  const info = await stat(folder).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw badInput(
      `Input \`folder\` "${folder}" is not a folder.`,
      'Check out the repository first, or fix the path.'
    )
  }
  const root = await realpath(folder)
  const isIgnored = patternMatcher([...ALWAYS_IGNORED, ...ignored])
  const files: LocalFile[] = []
  const present = new Set<string>()
  // Ignored folders are not walked (node_modules can be huge), but nothing under them is ever deleted either.
  const presentFolders: string[] = []
  const prefix = pathInRepo ? `${pathInRepo.replace(/^\/+|\/+$/g, '')}/` : ''
  async function visit(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      throw unreadable(path.relative(root, dir) || '.', error)
    })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const named = entries.map(entry => {
      const absolute = path.join(dir, entry.name)
      const relative = path.relative(root, absolute).split(path.sep).join('/')
      return {
        entry,
        absolute,
        relative,
        ignored: isIgnored(entry.isDirectory() ? `${relative}/` : relative)
      }
    })
    // The folder's files are looked at together (the walk would otherwise wait on each in turn), in folder order.
    const stats = await mapInParallel(named, WALK_LANES, ({ entry, absolute, relative, ignored }) =>
      entry.isFile() && !ignored
        ? lstat(absolute).catch((error: unknown) => {
            throw unreadable(relative, error)
          })
        : Promise.resolve(undefined)
    )
    for (const [i, { entry, absolute, relative, ignored }] of named.entries()) {
      present.add(prefix + relative)
      if (entry.isDirectory()) {
        if (ignored) presentFolders.push(`${prefix}${relative}/`)
        else await visit(absolute)
      } else if (ignored) {
        continue
      } else if (entry.isSymbolicLink()) {
        warn(`Skipped ${relative}: symbolic links are not followed.`)
      } else if (entry.isFile()) {
        const found = stats[i]
        if (!found?.isFile()) throw unreadable(relative, 'it changed while the folder was read')
        files.push({
          source: absolute,
          path: prefix + relative,
          size: found.size,
          id: { dev: found.dev, ino: found.ino }
        })
      }
    }
  }
  await visit(root)
  return {
    files,
    has: repoPath => present.has(repoPath) || presentFolders.some(folder => repoPath.startsWith(folder))
  }
}

function unreadable(relative: string, error: unknown): ActionError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why =
    typeof error === 'string'
      ? error
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ELOOP'
          ? 'it became a symbolic link after the folder was read'
          : code === 'ENOENT'
            ? 'it was removed while the step ran'
            : (error as Error).message
  return badInput(
    `Cannot read ${relative} in the upload folder: ${why}.`,
    'Make the file readable by the runner, or leave it out with `ignore`.'
  )
}

/**
 * Opens the file the walk saw, refusing a symbolic link (O_NOFOLLOW) and anything whose descriptor is not that same
 * regular file with that same size. The caller closes the handle.
 */
export async function openChecked(file: LocalFile): Promise<FileHandle> {
  const handle = await open(file.source, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: unknown) => {
      throw unreadable(file.path, error)
    }
  )
  try {
    const now = await handle.stat()
    const changed = !now.isFile()
      ? 'it is no longer a regular file'
      : file.id && (now.dev !== file.id.dev || now.ino !== file.id.ino)
        ? 'it was replaced by another file after the folder was read'
        : now.size !== file.size
          ? `its size changed from ${file.size} to ${now.size} bytes after the folder was read`
          : undefined
    if (changed)
      throw badInput(
        `Refusing to upload ${file.path}: ${changed}.`,
        'Do not change the folder while the step uploads it.'
      )
    return handle
  } catch (error) {
    await handle.close()
    throw error
  }
}

/**
 * The size of one read: a 5 MiB file is a few turns of the event loop, not the eighty of a stream's default, and a
 * multiple of 3 so that every piece but the last encodes to base64 on its own.
 */
export const READ_CHUNK_BYTES = 3 * 256 * 1024

/**
 * The file from a checked descriptor, in pieces of `buffer.length` bytes (the last may be shorter), each read into
 * `buffer` from its start: a piece is valid until the next one is asked for. A file that shrinks is refused.
 */
export async function* pieces(file: LocalFile, buffer: Buffer): AsyncGenerator<Buffer> {
  const handle = await openChecked(file)
  try {
    for (let position = 0; position < file.size;) {
      const want = Math.min(buffer.length, file.size - position)
      for (let filled = 0; filled < want;) {
        const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled)
        if (!bytesRead)
          throw badInput(
            `Refusing to upload ${file.path}: it shrank to ${position + filled} bytes while it was read.`,
            'Do not change the folder while the step uploads it.'
          )
        filled += bytesRead
      }
      yield buffer.subarray(0, want)
      position += want
    }
  } finally {
    await handle.close()
  }
}

/**
 * Read buffers of READ_CHUNK_BYTES, reused: a buffer per file read would leave a folder's worth of garbage, which
 * the collector frees late, and peak memory would follow the folder's size.
 */
const spareBuffers: Buffer[] = []
const SPARE_BUFFERS = 16

export function takeBuffer(): Buffer {
  return spareBuffers.pop() ?? Buffer.allocUnsafe(READ_CHUNK_BYTES)
}

/** Hands back a buffer from `takeBuffer` that nothing uses any more. */
export function giveBack(buffer: Buffer): void {
  if (spareBuffers.length < SPARE_BUFFERS) spareBuffers.push(buffer)
}

/** The whole of a file no larger than `buffer`, read into it. */
export async function readSmall(file: LocalFile, buffer: Buffer): Promise<Buffer> {
  let bytes = buffer.subarray(0, 0)
  for await (const piece of pieces(file, buffer)) bytes = piece
  return bytes
}

/** The whole file as text (a `.gitattributes` or README: small files). */
export async function readText(file: LocalFile): Promise<string> {
  const handle = await openChecked(file)
  try {
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

/** The first 512 bytes: what preupload needs (base64) to tell text from binary. */
export async function sample(file: LocalFile): Promise<Buffer> {
  const handle = await openChecked(file)
  try {
    const buffer = Buffer.alloc(Math.min(512, file.size))
    await handle.read(buffer, 0, buffer.length, 0)
    return buffer
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
  const buffer = takeBuffer()
  try {
    for await (const piece of pieces(file, buffer)) hash.update(piece)
  } finally {
    giveBack(buffer)
  }
  return hash.digest('hex')
}
