// Writes dist/<entry>/licenses.txt: every third-party package bundled into any chunk of the entry, with its license
// name and text. ncc's own --license lists only the packages of one chunk once the bundle is split by import(), so
// the list is rebuilt here from the source maps of all chunks. Usage: node tools/licenses.mjs dist/main dist/post
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const LICENSE_FILE = /^(licen[cs]e|copying)(\.|$)/i

for (const dir of process.argv.slice(2)) {
  const packages = new Map()
  for (const map of readdirSync(dir).filter(file => file.endsWith('.js.map'))) {
    for (const source of JSON.parse(readFileSync(path.join(dir, map), 'utf8')).sources) {
      // The package is the last node_modules segment: a nested copy is a package of its own.
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source.replace(/^(\.\.\/)+/, ''))
      if (match?.[1]) packages.set(match[1], true)
    }
  }
  const entries = [...packages.keys()].map(root => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
    const file = readdirSync(root).find(name => LICENSE_FILE.test(name))
    const text = file ? readFileSync(path.join(root, file), 'utf8').trim() : ''
    return { name: pkg.name, license: pkg.license ?? 'UNKNOWN', text }
  })
  entries.sort((a, b) => a.name.localeCompare(b.name))
  const unique = entries.filter((entry, i) => entries.findIndex(e => e.name === entry.name) === i)
  writeFileSync(
    path.join(dir, 'licenses.txt'),
    unique.map(({ name, license, text }) => `${name}\n${license}\n${text}\n`).join('\n')
  )
}
