// AdminLTE 3's own list of plugins (build/npm/Plugins.js), copied from the installed modules into
// its plugins/ folder as its "plugins" script does, without its dev dependency fs-extra.
const fs = require('fs')
const path = require('path')
const root = path.resolve('node_modules/admin-lte')
let copied = 0
for (const { from, to } of require(path.join(root, 'build/npm/Plugins.js'))) {
  const source = [path.join(root, from), path.resolve(from)].find(p => fs.existsSync(p))
  if (!source) continue
  fs.cpSync(source, path.join(root, to), { recursive: true, filter: s => !path.basename(s).startsWith('.') })
  copied++
}
console.log(`AdminLTE plugins copied: ${copied}`)
