/**
 * The mock gateway's GraphQL schema (SDL). It is a TypeScript module rather than a `.graphql` file
 * so that the same engine loads in Node (tsx), vitest and the browser without a loader for raw text.
 *
 * The first part is `shared/gitlab-ai-schema.graphql` copied unchanged, so that any client written
 * against GitLab works here; `schema.test.ts` keeps the two compatible. Everything GitLab lacks is
 * added after it with `extend`, so that the difference stays visible at a glance.
 */

/** GitLab's own Duo Chat API, as in `shared/gitlab-ai-schema.graphql`. */
export const gitlabSdl = /* GraphQL */ `
# The part of GitLab's public GraphQL API that Duo Chat clients use, as GitLab documents it
# (GraphQL API reference, types AiMessage, AiChatInput, ...; the aiCompletionResponse subscription).
# Field names, argument names, types and nullability are GitLab's. This file is the compatibility
# reference: the drawer's core operations must validate against it, so that the same client can
# talk to this project's mock gateway and to a GitLab instance.

scalar AiModelID              # a Global ID such as "gid://gitlab/Issue/1"
scalar UserID                 # "gid://gitlab/User/1"
scalar AiAgentVersionID
scalar AiConversationThreadID # "gid://gitlab/Ai::Conversation::Thread/1"
scalar NamespaceID
scalar ProjectID
scalar Time                   # ISO 8601
scalar JSON

enum AiAction { CHAT }
enum AiAdditionalContextCategory { DEPENDENCY FILE ISSUE LOCAL_GIT MERGE_REQUEST SNIPPET TERMINAL }
enum AiConversationsThreadsConversationType { DUO_CHAT DUO_CHAT_LEGACY DUO_CODE_REVIEW DUO_QUICK_CHAT }
enum AiMessageRole { ASSISTANT SYSTEM USER }
enum AiMessageType { TOOL }

type AiAdditionalContext {
  category: AiAdditionalContextCategory!
  content: String!
  id: ID!
  metadata: JSON
}

type AiMessageExtras {
  additionalContext: [AiAdditionalContext!]
  hasFeedback: Boolean
  sources: [JSON!]
}

"One chat message. A streamed chunk carries chunkId (1, 2, 3, ...); a complete message has chunkId null."
type AiMessage {
  agentVersionId: AiAgentVersionID
  chunkId: Int
  content: String
  contentHtml: String
  errors: [String!]
  extras: AiMessageExtras
  id: ID
  requestId: String
  role: AiMessageRole!
  threadId: AiConversationThreadID
  timestamp: Time!
  type: AiMessageType
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type AiMessageEdge { cursor: String! node: AiMessage }
type AiMessageConnection { edges: [AiMessageEdge] nodes: [AiMessage] pageInfo: PageInfo! }

type AiConversationsThread {
  conversationType: AiConversationsThreadsConversationType!
  createdAt: Time!
  id: ID!
  lastUpdatedAt: Time!
  title: String
}
type AiConversationsThreadEdge { cursor: String! node: AiConversationsThread }
type AiConversationsThreadConnection {
  edges: [AiConversationsThreadEdge]
  nodes: [AiConversationsThread]
  pageInfo: PageInfo!
}

input AiAdditionalContextInput {
  category: AiAdditionalContextCategory!
  content: String!
  id: String!
  metadata: JSON
}

input AiCurrentFileInput {
  contentAboveCursor: String
  contentBelowCursor: String
  fileName: String!
  selectedText: String!
}

input AiChatInput {
  additionalContext: [AiAdditionalContextInput!]
  agentVersionId: AiAgentVersionID
  content: String!
  currentFile: AiCurrentFileInput
  namespaceId: NamespaceID
  resourceId: AiModelID
}

input AiActionInput {
  chat: AiChatInput
  clientMutationId: String
  clientSubscriptionId: String
  conversationType: AiConversationsThreadsConversationType
  platformOrigin: String
  projectId: ProjectID
  threadId: AiConversationThreadID
}

type AiActionPayload {
  clientMutationId: String
  errors: [String!]!
  requestId: String
  threadId: AiConversationThreadID
}

input DeleteConversationThreadInput {
  clientMutationId: String
  threadId: AiConversationThreadID!
}
type DeleteConversationThreadPayload { clientMutationId: String errors: [String!]! success: Boolean! }

input TrackingEventInput {
  action: String!
  category: String!
  extra: JSON
  label: String
  property: String
}
input DuoUserFeedbackInput {
  agentVersionId: AiAgentVersionID
  aiMessageId: String!
  clientMutationId: String
  trackingEvent: TrackingEventInput
}
type DuoUserFeedbackPayload { clientMutationId: String errors: [String!]! }

type Query {
  aiMessages(
    agentVersionId: AiAgentVersionID
    conversationType: AiConversationsThreadsConversationType
    requestIds: [ID!]
    roles: [AiMessageRole!]
    threadId: AiConversationThreadID
    after: String
    before: String
    first: Int
    last: Int
  ): AiMessageConnection!
  aiConversationThreads(
    conversationType: AiConversationsThreadsConversationType
    id: AiConversationThreadID
    after: String
    before: String
    first: Int
    last: Int
  ): AiConversationsThreadConnection!
}

type Mutation {
  aiAction(input: AiActionInput!): AiActionPayload
  deleteConversationThread(input: DeleteConversationThreadInput!): DeleteConversationThreadPayload
  duoUserFeedback(input: DuoUserFeedbackInput!): DuoUserFeedbackPayload
}

type Subscription {
  "GitLab rejects the subscription unless userId is the signed-in user's id."
  aiCompletionResponse(
    agentVersionId: AiAgentVersionID
    aiAction: AiAction
    clientSubscriptionId: String
    resourceId: AiModelID
    userId: UserID
  ): AiMessage
}
`

/** What the mock gateway adds to GitLab's API. */
export const extensionSdl = /* GraphQL */ `
input AiActionCancelInput {
  clientMutationId: String
  "The requestId that aiAction returned for the request to stop."
  requestId: String!
}

type AiActionCancelPayload {
  clientMutationId: String
  errors: [String!]!
}

extend type Mutation {
  "Stops a running chat request of the signed-in user; nothing more is published for it."
  aiActionCancel(input: AiActionCancelInput!): AiActionCancelPayload
}

"Something the /include menu can attach as context, with whether the signed-in user may send it."
type DuoChatContextItem {
  "A global id for issues and merge requests; <project full path>:<file path> for files."
  id: ID!
  category: AiAdditionalContextCategory!
  title: String!
  description: String
  webUrl: String
  enabled: Boolean!
  disabledReason: String
}

type DuoChatContextStatus {
  id: ID!
  enabled: Boolean!
  disabledReason: String
}

extend type Query {
  "Searches issues, merge requests and files of the signed-in user's projects."
  duoChatContextSearch(query: String!, categories: [AiAdditionalContextCategory!], first: Int = 20): [DuoChatContextItem!]!
  "Whether the signed-in user may send these items as context; unknown and unreadable items read alike."
  duoChatContextStatus(ids: [ID!]!): [DuoChatContextStatus!]!
}
"Duo Chat V2 (see mocks/PROTOCOL.md): what kind of blueprint message an AiMessage is."
enum DuoChatMessageType { INPUT REQUEST_CONTEXT RESPONSE }
enum DuoChatContextProviderMode { PROACTIVE REACTIVE }
"Where something that reached the model came from."
enum DuoChatContextOrigin { ATTACHED PROACTIVE REACTIVE RETRIEVER HISTORY }
enum DuoChatPipeline { REACT RAG }

# Images as context: the content is a PNG, JPEG, WebP or GIF in base64 (mocks/PROTOCOL.md, "Images").
extend enum AiAdditionalContextCategory { IMAGE }

extend input AiActionInput {
  "Proactive providers the client ran for this question (their items are in chat.additionalContext)."
  proactiveContextProviders: [String!]
  "Reactive providers the client can run if the engine asks; the engine asks only for these."
  reactiveContextProviders: [String!]
  "Providers that must not run: the gateway's retrievers and the client's own."
  excludedContextProviders: [String!]
}

"A provider the gateway itself runs (one of its retrievers)."
type DuoChatContextProvider {
  name: String!
  title: String!
  mode: DuoChatContextProviderMode!
  description: String
}

type DuoChatRequestedContext {
  "A provider name from the question's reactiveContextProviders."
  provider: String!
  "Why the engine asks; the client passes it to the provider as reason."
  reason: String!
}

"One thing that reached the model, and where it came from."
type DuoChatContextUsed {
  origin: DuoChatContextOrigin!
  "The provider or retriever name; null for items the user attached."
  provider: String
  "AiAdditionalContextCategory for items, a blueprint or host context type otherwise."
  contextType: String!
  "The item's id (a global id for GitLab items); null for HISTORY."
  id: String
  title: String!
  webUrl: String
  "HISTORY only: how many earlier turns were included."
  turns: Int
}

"One retrieval, tool call, grading or context request of an answer, with what it read."
type DuoChatStep {
  "Provider, retriever or tool name; 'grader' or 'requestContext' for those steps."
  name: String!
  title: String!
  "ok | excluded | denied | empty | timeout | error"
  status: String!
  "Global ids, document URLs or provider names the step read."
  reads: [String!]!
  "Milliseconds from the request's start to the step's start."
  startedAtMs: Int!
  durationMs: Int!
  note: String
}

extend type AiMessageExtras {
  "Everything that reached the model for this answer."
  contextUsed: [DuoChatContextUsed!]
  "The steps that produced this answer, in start order."
  steps: [DuoChatStep!]
  "The pipeline that answered."
  pipeline: DuoChatPipeline
}

extend type AiMessage {
  "INPUT for the user's question, REQUEST_CONTEXT for a context request, RESPONSE otherwise."
  messageType: DuoChatMessageType
  "REQUEST_CONTEXT only: what the engine asks for; answer with duoChatProvideContext."
  requestedContexts: [DuoChatRequestedContext!]
  "REQUEST_CONTEXT only: the id to answer with."
  contextRequestId: ID
}

input DuoChatProvideContextInput {
  clientMutationId: String
  "The aiAction request being answered."
  requestId: String!
  "The contextRequestId of the REQUEST_CONTEXT message."
  contextRequestId: ID!
  "Items with metadata.contextProvider naming one of the requested providers."
  providedContexts: [AiAdditionalContextInput!]!
  "Requested providers that gave nothing (threw, timed out, returned null)."
  skippedProviders: [String!]
}

type DuoChatProvideContextPayload {
  clientMutationId: String
  errors: [String!]!
  "How many of providedContexts reached the engine."
  accepted: Int!
}

extend type Query {
  "The gateway's own context providers (its retrievers)."
  duoChatContextProviders: [DuoChatContextProvider!]!
}

extend type Mutation {
  "Answers the engine's REQUEST_CONTEXT for a running request of the signed-in user."
  duoChatProvideContext(input: DuoChatProvideContextInput!): DuoChatProvideContextPayload
}

input DuoChatTranscribeInput {
  clientMutationId: String
  "The recording in base64 (WebM/Opus, Ogg or WAV, as MediaRecorder makes it)."
  audio: String!
  mimeType: String!
}

type DuoChatTranscribePayload {
  clientMutationId: String
  "What was said; null when errors says why not."
  text: String
  errors: [String!]!
}

extend type Mutation {
  "Voice input where the browser has no speech recognition: transcribes a recording of the signed-in user."
  duoChatTranscribe(input: DuoChatTranscribeInput!): DuoChatTranscribePayload
}
`

/** The complete SDL the gateway serves. */
export const gatewaySdl = `${gitlabSdl}\n${extensionSdl}`
