export { registerContextProvider, contextProviders, DEFAULT_PROVIDER_TIMEOUT_MS } from './registry'
export type { ContextProvider, ContextProviderDefinition, ContextProviderMode, ContextProviderNote, ContextProviderRequest, ContextSource } from './types'
