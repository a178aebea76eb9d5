import { createApp } from 'vue'
import { createDuoChat } from '../../src/index'
import App from './App.vue'

// A Vue host app: the plugin once, <DuoChatDrawer /> in the template, buttons anywhere.
const params = new URLSearchParams(location.search)
const bob = params.get('user') === 'bob'

createApp(App)
  .use(
    createDuoChat({
      graphqlUrl: import.meta.env.VITE_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
      userId: bob ? 'gid://gitlab/User/2' : 'gid://gitlab/User/1',
      token: bob ? 'bob-token' : 'alice-token',
      resourceId: params.get('resource') ?? 'gid://gitlab/Issue/1',
    }),
  )
  .mount('#app')
