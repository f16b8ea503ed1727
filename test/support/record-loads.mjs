// Loaded with `node --import`: appends the URL of every module the process loads to $LOADS_FILE, so a test can
// tell which bundle chunks a step really loaded.
import { register } from 'node:module'

const hooks = `
import { appendFileSync } from 'node:fs'
export async function load(url, context, next) {
  if (process.env.LOADS_FILE) appendFileSync(process.env.LOADS_FILE, url + '\\n')
  return next(url, context)
}
`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
