import { run } from './action.js'
import { tuneStartup } from './startup.js'

tuneStartup()
void run()
