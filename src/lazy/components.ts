import { defineAsyncComponent, type Component } from 'vue'

/**
 * A component that loads on first render, for parts that appear only on demand (a panel the user
 * opens, say): the page's first load carries none of its code. Until it has loaded, its place stays empty.
 * Define it once, at module level: each definition loads (and caches) on its own.
 */
export function lazyComponent<T extends Component>(load: () => Promise<{ default: T }>): T {
  return defineAsyncComponent(() => load().then((module) => module.default)) as T
}

/** Loads a {@link lazyComponent} ahead of its first render, which is then synchronous. */
export function preloadComponent(component: Component): Promise<unknown> {
  // Vue's own loader of an async component: once it has resolved, every mount renders at once.
  return (component as { __asyncLoader?: () => Promise<unknown> }).__asyncLoader?.() ?? Promise.resolve()
}
