import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export async function resolve(specifier, context, nextResolve) {
  if (!specifier.endsWith('?raw')) return nextResolve(specifier, context)
  const resolved = await nextResolve(specifier.slice(0, -'?raw'.length), context)
  return { url: `${resolved.url}?raw`, shortCircuit: true }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('?raw')) return nextLoad(url, context)
  const text = await readFile(fileURLToPath(url.slice(0, -'?raw'.length)), 'utf8')
  return { format: 'module', source: `export default ${JSON.stringify(text)}`, shortCircuit: true }
}
