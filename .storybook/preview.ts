import type { Preview } from '@storybook/vue3-vite'
import { mswRuntime } from '../stories/support/msw'

const preview: Preview = {
  // Start msw's service worker before the first story renders (a no-op under vitest, which sets its own).
  loaders: [async () => ({ msw: await mswRuntime() })],
  parameters: {
    controls: { expanded: true, sort: 'none' },
    options: { storySort: { order: ['DuoChatDrawer'] } },
  },
  tags: ['autodocs'],
}

export default preview
