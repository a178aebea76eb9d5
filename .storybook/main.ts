import type { StorybookConfig } from '@storybook/vue3-vite'

/**
 * Storybook for the drawer. Stories run against the mock AI gateway in the browser: msw's service
 * worker (`public/mockServiceWorker.js`, from `npx msw init .storybook/public`) serves the engine's
 * HTTP endpoint and msw intercepts the graphql-ws socket. See README.storybook.md.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/vue3-vite', options: {} },
  staticDirs: ['./public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  async viteFinal(viteConfig) {
    // vite.config.ts builds the library; Storybook builds an app from the same plugins.
    if (viteConfig.build) delete viteConfig.build.lib
    if (viteConfig.build) delete viteConfig.build.rollupOptions
    return viteConfig
  },
}

export default config
