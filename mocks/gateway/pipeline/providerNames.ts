/**
 * The gateway's own context providers (its retrievers), by the names the V2 protocol uses
 * (mocks/PROTOCOL.md, "Duo Chat V2: context providers"). Two are the blueprint's own names.
 */

export const RESOURCE_PROVIDER = 'gitlabResourceProvider'
export const REFERENCES_PROVIDER = 'gitlabReferencesProvider'
export const DOCUMENTATION_PROVIDER = 'documentationProvider'
export const HISTORY_PROVIDER = 'chatHistoryProvider'

/** `DuoChatContextProvider`. */
export interface GatewayContextProvider {
  name: string
  title: string
  mode: 'PROACTIVE' | 'REACTIVE'
  description: string
}

/** What `duoChatContextProviders` answers, in the order "Context sources" lists them. */
export const GATEWAY_CONTEXT_PROVIDERS: readonly GatewayContextProvider[] = [
  { name: RESOURCE_PROVIDER, title: 'Current page', mode: 'PROACTIVE', description: 'The issue, merge request or epic the question is asked on.' },
  {
    name: REFERENCES_PROVIDER,
    title: 'Referenced issues, merge requests and epics',
    mode: 'PROACTIVE',
    description: 'Items the question names, such as #1, !2 or &3.',
  },
  { name: DOCUMENTATION_PROVIDER, title: 'GitLab documentation', mode: 'PROACTIVE', description: 'A search of the GitLab documentation.' },
  { name: HISTORY_PROVIDER, title: 'Conversation history', mode: 'PROACTIVE', description: 'The earlier questions and answers of this chat.' },
]

/** Which provider a ReAct tool belongs to, so that excluding the provider hides the tool. */
export const TOOL_PROVIDERS: Readonly<Record<string, string>> = {
  issue_reader: REFERENCES_PROVIDER,
  merge_request_reader: REFERENCES_PROVIDER,
  epic_reader: REFERENCES_PROVIDER,
  gitlab_documentation: DOCUMENTATION_PROVIDER,
}
