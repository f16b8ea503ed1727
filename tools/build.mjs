// Builds one entry with ncc into a CommonJS bundle: node tools/build.mjs src/main.ts dist/main
// ncc's command line gives an ESM bundle for an ESM package, and only its API offers `esm: false`. CommonJS starts
// faster: ESM loading costs more per module, and on Node 24 an ESM `import` of node:http also loads Node's own copy of
// undici (README, Performance). Chunks split off by import() land next to index.js, with their source maps.
import { Buffer } from 'node:buffer'
import fs, { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

// undici's Client requires its HTTP/2 half, and so node:http2, when it loads (measured: 3 ms of CPU of a read on Node 20,
// 7 ms on Node 24), though the action's client speaks HTTP/1.1 only (it never sets allowH2). The bundle gets that
// require moved into the call that opens an HTTP/2 session. ncc takes no loaders, so the patch is applied where
// webpack reads the file: ncc's file system is a copy of node:fs made when ncc loads, hence the import below it.
const CLIENT = createRequire(import.meta.url).resolve('undici/lib/dispatcher/client.js')
const EAGER_H2 = "const connectH2 = require('./client-h2.js')"
const LAZY_H2 = "const connectH2 = (client, socket) => require('./client-h2.js')(client, socket)"
let patched = false
const readFile = fs.readFile
fs.readFile = (file, ...rest) => {
  if (file !== CLIENT) return readFile(file, ...rest)
  const callback = rest.pop()
  readFile(file, 'utf8', (error, source) => {
    if (error) return callback(error)
    if (!source.includes(EAGER_H2)) return callback(new Error(`${CLIENT}: no "${EAGER_H2}" to make lazy`))
    patched = true
    callback(null, Buffer.from(source.replace(EAGER_H2, LAZY_H2)))
  })
}
const { default: ncc } = await import('@vercel/ncc')

const [entry, outDir] = process.argv.slice(2)
if (!entry || !outDir) throw new Error('usage: node tools/build.mjs <entry.ts> <out dir>')

const { code, map, assets } = await ncc(path.resolve(entry), {
  esm: false,
  minify: true,
  sourceMap: true,
  sourceMapRegister: false,
  quiet: true
})
if (!patched)
  throw new Error(`ncc did not read ${CLIENT} through fs.readFile: the HTTP/2 patch was not applied`)
mkdirSync(outDir, { recursive: true })
writeFileSync(path.join(outDir, 'index.js'), code)
writeFileSync(path.join(outDir, 'index.js.map'), map)
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true })
  writeFileSync(path.join(outDir, name), asset.source)
}
// The repository's package.json says "type": "module"; this one makes Node load the bundle as CommonJS.
writeFileSync(path.join(outDir, 'package.json'), '{ "type": "commonjs" }\n')
