/**
 * Start-up tuning shared by the main and post entries; figures in the README's performance section.
 *
 * V8 tiers undici's WebAssembly HTTP parser (llhttp) up on a background thread during the first requests, and Node
 * does not exit until that compile is done: about 90 ms after a one-read step has finished its work. A budget well
 * above V8's default keeps the baseline code for short steps; a long upload still tiers up once it has parsed enough.
 *
 * Call it after every static import has loaded and before the first request. Not earlier: a changed V8 flag no
 * longer matches the code cache Node's own modules ship with, so each built-in module loaded after it is compiled
 * from source (measured: 50–100 ms slower when set before the imports).
 */
import { setFlagsFromString } from 'node:v8'

export function tuneStartup(): void {
  setFlagsFromString('--wasm-tiering-budget=100000000')
}
