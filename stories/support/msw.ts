import type { RequestHandler, WebSocketHandler } from 'msw'

/** Where the stories' msw handlers live: the service worker in Storybook, msw/node in vitest. */
export interface MswRuntime {
  /** Replaces the handlers in use with these. */
  use(handlers: Array<RequestHandler | WebSocketHandler>): void
}

let runtime: Promise<MswRuntime> | null = null

/**
 * Sets the runtime; the stories' vitest file passes msw/node's `setupServer()` here. Without one,
 * {@link mswRuntime} starts msw's service worker, once.
 */
export function setMswRuntime(next: MswRuntime): void {
  runtime = Promise.resolve(next)
}

/** The msw runtime, starting the browser worker on first use. */
export function mswRuntime(): Promise<MswRuntime> {
  runtime ??= startWorker()
  return runtime
}

async function startWorker(): Promise<MswRuntime> {
  // Imported on demand: msw/browser needs a service worker, which jsdom and Node lack.
  const { setupWorker } = await import('msw/browser')
  const worker = setupWorker()
  await worker.start({
    // Relative to the preview iframe, so that a Storybook published under a sub-path still finds it.
    serviceWorker: { url: './mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  })
  return { use: (handlers) => worker.resetHandlers(...handlers) }
}
