/**
 * The folder every upload benchmark uses (tools/bench/upload.ts, tools/bench/emulator-floor.ts): 980 text files of
 * about 100 kB, which go inline, and 20 binary files of 5 MiB, which go through Git LFS; 203 MB in all.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const TEXT_FILES = 980
export const BINARY_FILES = 20
export const BINARY_BYTES = 5 * 1024 * 1024

const line = 'The quick brown fox jumps over the lazy dog, again and again, for a benchmark.\n'
const text = line.repeat(Math.ceil(100_000 / line.length)).slice(0, 100_000)

/** The i-th text file: its path in the folder and its content. */
export function textFile(i: number): { path: string; content: string } {
  return { path: `module${Math.floor(i / 50)}/file${i}.py`, content: `# ${i}\n${text}` }
}

/** The binary files' contents: random, so that no two are alike and none compresses. */
export function binaryContents(): Buffer[] {
  return Array.from({ length: BINARY_FILES }, () => randomBytes(BINARY_BYTES))
}

/** The whole folder, written into a new temporary folder. */
export function makeFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-upload-'))
  for (let i = 0; i < TEXT_FILES; i++) {
    const file = textFile(i)
    mkdirSync(path.dirname(path.join(folder, file.path)), { recursive: true })
    writeFileSync(path.join(folder, file.path), file.content)
  }
  mkdirSync(path.join(folder, 'weights'))
  binaryContents().forEach((bytes, i) => writeFileSync(path.join(folder, 'weights', `shard${i}.bin`), bytes))
  return folder
}
