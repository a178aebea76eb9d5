// @vitest-environment jsdom
/**
 * The stories as tests: every story in `stories/*.stories.ts` renders against the mock gateway
 * (msw/node here, msw's service worker in Storybook) and its play function checks what a reviewer
 * would look at. A broken story fails `npm test`.
 */
import { composeStories, setProjectAnnotations } from '@storybook/vue3-vite'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, it } from 'vitest'
import preview from '../.storybook/preview'
import { setMswRuntime } from './support/msw'

const server = setupServer()
setMswRuntime({ use: (handlers) => server.resetHandlers(...handlers) })
setProjectAnnotations(preview)

type StoriesFile = Parameters<typeof composeStories>[0]
const files = import.meta.glob<StoriesFile>('./*.stories.ts', { eager: true })

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

for (const [path, file] of Object.entries(files)) {
  describe(path.slice(2), () => {
    for (const [name, Story] of Object.entries(composeStories(file))) {
      it(name, async () => {
        await (Story as { run(): Promise<void> }).run()
      })
    }
  })
}
