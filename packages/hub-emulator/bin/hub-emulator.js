#!/usr/bin/env node
// `npx hub-emulator`: the emulator runs from its TypeScript source, compiled on the fly by tsx, so a clone needs no
// build step before rehearsing a workflow.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
