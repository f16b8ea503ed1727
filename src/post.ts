import { run } from './steps/post-step.js'
import { runEntry } from './runner.js'

runEntry(run)
