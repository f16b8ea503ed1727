import { run } from './steps/main-step.js'

void run()
