import { run } from './steps/post-step.js'

void run()
