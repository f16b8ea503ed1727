import { setFlagsFromString } from 'node:v8'
import { run } from './action.js'

// Start-up (see README, Performance): V8 would tier undici's WebAssembly HTTP parser (llhttp) up on a background
// thread during the first requests, and Node does not exit until that compile is done (~90 ms for a one-read step).
// A large budget keeps the baseline code of short steps; a long upload still tiers up once it has parsed enough.
// It must be set before the first request compiles the parser.
setFlagsFromString('--wasm-tiering-budget=100000000')

void run()
