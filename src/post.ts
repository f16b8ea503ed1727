import { run } from './teardown.js'
import { runEntry } from './runner.js'

runEntry(run)
