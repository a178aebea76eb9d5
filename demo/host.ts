// Host code of the plain HTML page: it only uses what a script-tag host has, `window.DuoChat`.
const loaded = window.DuoChat
if (!loaded) throw new Error('duo-chat-drawer did not load')
const DuoChat = loaded

// `?user=bob` signs in as bob; `?resource=gid://gitlab/Issue/99` asks about another resource.
const params = new URLSearchParams(location.search)
const drawer = document.querySelector('duo-chat-drawer')
// The GitLab page is signed in by its session cookie, set by the demo server for ?user=bob too.
if (params.get('user') === 'bob' && drawer?.getAttribute('transport') !== 'actioncable') {
  drawer?.setAttribute('token', 'bob-token')
  drawer?.setAttribute('user-id', 'gid://gitlab/User/2')
}
const resource = params.get('resource')
if (resource) drawer?.setAttribute('resource-id', resource)

const askButton = document.getElementById('ask-duo')
askButton?.addEventListener('click', () => {
  DuoChat.duoChatGlobalState.isShown = !DuoChat.duoChatGlobalState.isShown
})

function runCommand(question: string, resourceId: string): void {
  DuoChat.sendDuoChatCommand({ question, resourceId }).catch((error: unknown) => {
    // A stopped or failed command is shown in the drawer; the host only logs it.
    console.info('[host] command ended without an answer:', error)
  })
}

document.getElementById('explain-issue')?.addEventListener('click', () => runCommand('/explain', 'gid://gitlab/Issue/1'))
document
  .getElementById('summarize-mr')
  ?.addEventListener('click', () => runCommand('Summarize this merge request', 'gid://gitlab/MergeRequest/1'))
