import { createApp } from 'vue'
import { createDuoChat, type DuoChatEvent, type DuoChatOptions } from 'duo-chat-drawer'
import 'duo-chat-drawer/style.css'
import App from './App.vue'
import { startMockGateway } from './mockGateway'
import { OfflineApi } from './offlineApi'

const production: DuoChatOptions = {
  graphqlUrl: '/api/graphql',
  userId: 'gid://gitlab/User/1',
  token: () => sessionStorage.getItem('token') ?? undefined,
  labels: { send: 'Ask', remove: (title) => `Detach ${title}` },
  onEvent: (event: DuoChatEvent) => console.debug('duo-chat', event.type),
}
// Inside a GitLab page: GitLab's ActionCable, the session cookie and the page's CSRF token.
const insideGitLab: DuoChatOptions = { transport: 'actioncable', userId: 'gid://gitlab/User/1' }
const offline: DuoChatOptions = { graphqlUrl: '', userId: 'gid://gitlab/User/1', api: new OfflineApi() }

const choose = new URLSearchParams(location.search).get('gateway')
const options: Promise<DuoChatOptions> = import.meta.env.DEV && choose === 'mock' ? startMockGateway() : Promise.resolve(choose === 'offline' ? offline : choose === 'gitlab' ? insideGitLab : production)
void options.then((chosen) => createApp(App).use(createDuoChat(chosen)).mount('#app'))
