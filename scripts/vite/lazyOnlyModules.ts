import type { Plugin } from 'vite'

/**
 * The modules that only a lazy import reaches: the modules matching `roots` and what they import,
 * statically or with `import()`, short of anything the library `entry` imports statically (the
 * first load has those already, and so does what they import). Known once the module graph is
 * complete (`buildEnd`), before any chunk is made, so `test` serves as a code-splitting group's test.
 */
export function lazyOnlyModules(entry: string, roots: readonly RegExp[]): { plugin: Plugin; test: (id: string) => boolean } {
  const lazyOnly = new Set<string>()
  const plugin: Plugin = {
    name: 'duo-chat-lazy-only-modules',
    apply: 'build',
    buildEnd() {
      lazyOnly.clear()
      const initial = new Set<string>()
      const visitStatic = (id: string): void => {
        if (initial.has(id)) return
        initial.add(id)
        for (const imported of this.getModuleInfo(id)?.importedIds ?? []) visitStatic(imported)
      }
      visitStatic(entry)
      const visit = (id: string): void => {
        if (initial.has(id) || lazyOnly.has(id)) return
        lazyOnly.add(id)
        const info = this.getModuleInfo(id)
        for (const imported of [...(info?.importedIds ?? []), ...(info?.dynamicallyImportedIds ?? [])]) visit(imported)
      }
      for (const id of this.getModuleIds()) if (roots.some((root) => root.test(id))) visit(id)
    },
  }
  return { plugin, test: (id) => lazyOnly.has(id) }
}
