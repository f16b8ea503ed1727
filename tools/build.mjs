// Builds one entry with ncc into a CommonJS bundle: node tools/build.mjs src/main.ts dist/main
// ncc's command line gives an ESM bundle for an ESM package, and only its API offers `esm: false`. CommonJS starts
// faster: ESM loading costs more per module, and on Node 24 an ESM `import` of node:http also loads Node's own copy of
// undici (README, Performance). Chunks split off by import() land next to index.js, with their source maps.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import ncc from '@vercel/ncc'

const [entry, outDir] = process.argv.slice(2)
if (!entry || !outDir) throw new Error('usage: node tools/build.mjs <entry.ts> <out dir>')

const { code, map, assets } = await ncc(path.resolve(entry), {
  esm: false,
  minify: true,
  sourceMap: true,
  sourceMapRegister: false,
  quiet: true
})
mkdirSync(outDir, { recursive: true })
writeFileSync(path.join(outDir, 'index.js'), code)
writeFileSync(path.join(outDir, 'index.js.map'), map)
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true })
  writeFileSync(path.join(outDir, name), asset.source)
}
// The repository's package.json says "type": "module"; this one makes Node load the bundle as CommonJS.
writeFileSync(path.join(outDir, 'package.json'), '{ "type": "commonjs" }\n')
