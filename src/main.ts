import { run } from './action.js'
import { runEntry } from './runner.js'

runEntry(run)
