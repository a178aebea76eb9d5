// A plain page's script: everything comes from the global `DuoChat` of the standalone build.
import type { ChatAnswer, ContextItem, MountOptions } from 'duo-chat-drawer/standalone'

const issue: ContextItem = { id: 'gid://gitlab/Issue/1', category: 'ISSUE', title: 'Checkout fails on Safari', content: 'Steps to reproduce…' }

const element = document.querySelector('duo-chat-drawer')
element?.setAttribute('resource-id', issue.id)

const options: MountOptions = { graphqlUrl: '/api/graphql', userId: 'gid://gitlab/User/1', token: 'alice-token', theme: 'light', title: 'Ask Duo' }
const second = document.getElementById('second-drawer')
const mounted = second ? DuoChat.mount(second, options) : null

const answerOutput = document.querySelector<HTMLOutputElement>('#answer')

async function explain(): Promise<ChatAnswer> {
  window.DuoChat.duoChatGlobalState.contexts = [issue]
  const answer = await DuoChat.sendDuoChatCommand({ question: '/explain', resourceId: issue.id, contexts: [issue] })
  if (answerOutput) answerOutput.value = answer.content
  return answer
}

document.getElementById('explain')?.addEventListener('click', () => {
  explain().catch((error: unknown) => {
    if (error instanceof DOMException && error.name === 'AbortError') return
    console.error(error)
  })
})

window.addEventListener('pagehide', () => mounted?.unmount())
