/**
 * What the bundle gives a bare `undici` import: tsconfig.json maps `undici` here, and ncc's build follows that map
 * (tsc, jest and the dependencies' own code resolve it as usual). @actions/http-client imports undici's index for a
 * ProxyAgent that @actions/core never uses, and @actions/github imports it for fetch; evaluated at start, that index
 * was most of a read's start-up (README, Performance). Here it is loaded on first use instead. The action's own client
 * imports the undici modules it needs directly (src/hub/undici.ts).
 */
import type * as Undici from 'undici/index.js'

export type * from 'undici/index.js'

function undici(): typeof Undici {
  // A CommonJS require, which webpack resolves at build time and runs on first call; `import()` would be async.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('undici/index.js') as typeof Undici
}

export const ProxyAgent = function ProxyAgent(...args: ConstructorParameters<typeof Undici.ProxyAgent>) {
  return new (undici().ProxyAgent)(...args)
} as unknown as typeof Undici.ProxyAgent

export const fetch: typeof Undici.fetch = (...args) => undici().fetch(...args)
