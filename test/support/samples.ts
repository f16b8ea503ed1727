import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
// The recorded Hub answers live with the emulator, whose referee they are.
import { SAMPLES } from '../../packages/hub-emulator/test/samples.js'

export interface Recorded {
  file: string
  request: { method: string; uri: string; body: string | null }
  response: { status: number; headers: Record<string, string[]>; body: string }
}

/** Recorded VCR interactions whose file name starts with `prefix` (for example `spaces_ID_runtime.GET`). */
export function recorded(prefix: string): Recorded[] {
  const dir = path.join(SAMPLES, 'vcr-huggingface_hub')
  return readdirSync(dir)
    .filter(file => file.startsWith(prefix) && file.endsWith('.json'))
    .sort()
    .map(file => ({
      file,
      ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<Recorded, 'file'>)
    }))
}

export function thirdParty(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SAMPLES, 'third-party', file), 'utf8')) as Record<string, unknown>
}

/** The recorded headers, minus the ones that no longer match the stored body (see hub-samples README). */
export function replayHeaders(headers: Record<string, string[]>): Record<string, string> {
  const skip = new Set(['content-length', 'etag', 'connection', 'transfer-encoding'])
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !skip.has(name.toLowerCase()))
      .map(([name, values]) => [name, values[0] ?? ''])
  )
}
