import { readFile } from 'node:fs/promises'
import { stripIgnoredCharacters } from 'graphql'
import type { Plugin } from 'vite'

/**
 * Builds ship the operations (`*.graphql?raw`) without their comments, indentation and line
 * breaks: the drawer parses them and Apollo prints what it sends, so only the tokens matter. Tests
 * and the dev server keep reading the files as written.
 */
export function compactGraphql(): Plugin {
  return {
    name: 'duo-chat-compact-graphql',
    apply: 'build',
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?')
      if (query !== 'raw' || !file?.endsWith('.graphql')) return null
      this.addWatchFile(file)
      return `export default ${JSON.stringify(stripIgnoredCharacters(await readFile(file, 'utf8')))}`
    },
  }
}
