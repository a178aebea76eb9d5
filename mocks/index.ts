/**
 * `duo-chat-drawer/mocks`: the mock AI gateway for host apps' tests and stories. The engine runs
 * in-process and msw serves it at the URLs the drawer is configured with.
 */
export { createMockGateway, scenario, setSettings } from './testKit'
export type {
  AskOptions,
  ConversationTurn,
  MockAnswer,
  MockDuoChatOptions,
  MockGateway,
  MockGatewayOptions,
  MockScenario,
  MockTimingPreset,
  MockUser,
} from './testKit'
export { createGatewayHandlers, DEFAULT_MOCK_GRAPHQL_URL } from './browser'
export type { GatewayHandlers, GatewayHandlersOptions } from './browser'
export { DEFAULT_SUBSCRIPTION_LIMITS } from './transport/subscriptionLimits'
export type { SubscriptionLimits } from './transport/subscriptionLimits'
export { createGateway, DEFAULT_TIMING } from './gateway/index'
export type { Gateway, GatewayOptions, GatewayTiming, PipelineName, ScenarioInput, SettingsInput } from './gateway/index'
