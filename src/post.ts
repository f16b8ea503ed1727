import { tuneStartup } from './startup.js'
import { run } from './teardown.js'

tuneStartup()
void run()
