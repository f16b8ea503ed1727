import { run } from './steps/main-step.js'
import { runEntry } from './runner.js'

runEntry(run)
