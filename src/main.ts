import { run } from './steps/main-step.js'
import { runEntry } from './runner.js'
import { tuneStartup } from './startup.js'

tuneStartup()
runEntry(run)
