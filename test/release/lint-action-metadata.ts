/** `npm run lint:workflows`, second half: action.yml against GitHub's metadata syntax (action-metadata.ts). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../harness/built-action.js'
import { checkActionMetadata } from './action-metadata.js'

const problems = checkActionMetadata(parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')), ROOT)
for (const problem of problems) console.log(`action.yml: ${problem}`)
if (problems.length > 0) process.exit(1)
console.log('✓ action.yml follows the metadata syntax of a JavaScript action')
