/** Reading the recorded Hub traffic in fixtures/hub-samples, and comparing JSON shapes against it. */
import { expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Real responses recorded from huggingface.co, vendored read-only (provenance in its README and SOURCES.tsv). */
export const SAMPLES = path.join(import.meta.dirname, 'fixtures', 'hub-samples')
export const REC_DIR = path.join(SAMPLES, 'vcr-huggingface_hub')
export const THIRD_PARTY = path.join(SAMPLES, 'third-party')

export interface Recording {
  file: string
  recording: string
  test: string
  index: number
  request: { method: string; uri: string; body: string | null }
  response: { status: number; headers: Record<string, string[]>; body: string; body_json?: unknown }
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown
}

/** The REC interactions whose file name matches `pattern`, in file-name order. */
export function loadRecordings(pattern: RegExp): Recording[] {
  return readdirSync(REC_DIR)
    .filter(file => pattern.test(file))
    .map(file => {
      const match = /__(vcr\d{4}-\d\d)__(test_\w+?)__(\d+)\.json$/.exec(file)
      if (!match) throw new Error(`Unexpected sample name ${file}`)
      const data = readJson(path.join(REC_DIR, file)) as Pick<Recording, 'request' | 'response'>
      return { file, recording: match[1]!, test: match[2]!, index: Number(match[3]), ...data }
    })
    .sort((a, b) => a.file.localeCompare(b.file))
}

/**
 * A type tree: the JSON type of every value, keeping object keys in order. Arrays are typed by their first item;
 * an empty array matches any array (`tags: []` against `tags: ["docker"]`).
 */
export function shape(value: unknown): unknown {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? expect.any(Array) : [shape(value[0])]
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
  }
  return typeof value
}

/** Every key path of `sample` exists in `actual` with the same JSON type (extra keys in `actual` are allowed). */
export function expectCovers(actual: unknown, sample: unknown, where: string, ignore: string[] = []): void {
  if (sample === null || typeof sample !== 'object' || Array.isArray(sample)) {
    expect([where, shape(actual)]).toEqual([where, shape(sample)])
    return
  }
  expect([where, typeof actual, actual === null]).toEqual([where, 'object', false])
  for (const [key, inner] of Object.entries(sample)) {
    const at = `${where}.${key}`
    if (ignore.includes(at)) continue
    expect([at, key in (actual as object)]).toEqual([at, true])
    expectCovers((actual as Record<string, unknown>)[key], inner, at, ignore)
  }
}
