import { run } from './steps/post-step.js'
import { runEntry } from './runner.js'
import { tuneStartup } from './startup.js'

tuneStartup()
runEntry(run)
