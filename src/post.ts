import { run } from './teardown.js'

void run()
