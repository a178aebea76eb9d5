import { createApp, watch } from 'vue'
import { createDuoChat, DuoChatDrawer, duoChatGlobalState } from '../src/index'

// The demo signs in as alice; `?user=bob` signs in as bob to try permissions.
const users = {
  alice: { userId: 'gid://gitlab/User/1', token: 'alice-token' },
  bob: { userId: 'gid://gitlab/User/2', token: 'bob-token' },
}
// `?resource=gid://gitlab/Issue/99` asks about another resource (a private one, say).
const params = new URLSearchParams(location.search)
const user = params.get('user') === 'bob' ? users.bob : users.alice
const resourceId = params.get('resource') ?? 'gid://gitlab/Issue/1'
const graphqlUrl = import.meta.env.VITE_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql'

createApp(DuoChatDrawer)
  .use(createDuoChat({ graphqlUrl, userId: user.userId, token: user.token, resourceId }))
  .mount('#duo-chat')

const button = document.getElementById('ask-duo')
button?.addEventListener('click', () => {
  duoChatGlobalState.isShown = !duoChatGlobalState.isShown
})
watch(
  () => duoChatGlobalState.isShown,
  (shown) => button?.setAttribute('aria-expanded', String(shown)),
)
