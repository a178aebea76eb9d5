// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { registerContextProvider } from '../context/registry'
import type { ContextUsedEntry } from '../transport/duoChatV2'
import ChatContextUsed from './ChatContextUsed.vue'
import { GATEWAY_CONTEXT_PROVIDERS } from '../../mocks/gateway/pipeline/providerNames'

const entry = (fields: Partial<ContextUsedEntry> & Pick<ContextUsedEntry, 'origin' | 'title'>): ContextUsedEntry => ({
  provider: null,
  contextType: 'ISSUE',
  id: null,
  turns: null,
  ...fields,
})

const rows = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('li').map((li) => [li.attributes('aria-label'), li.find('.duo-chat-chip__origin').exists() ? li.find('.duo-chat-chip__origin').text() : null])

describe('ChatContextUsed', () => {
  const unregisters: (() => void)[] = []
  afterEach(() => {
    for (const unregister of unregisters.splice(0)) unregister()
  })

  it('lists the chips sent, then everything else the answer says reached the model, each with where it came from', () => {
    unregisters.push(registerContextProvider({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'reactive', provide: async () => null }))
    const wrapper = mount(ChatContextUsed, {
      props: {
        contexts: [
          { id: 'file-1', category: 'FILE', title: 'button.ts' },
          { id: 'tab-1', category: 'FILE', title: 'checkout.ts', metadata: { contextProvider: 'openTab', contextProviderTitle: 'Open tab' } },
        ],
        used: [
          // Already a chip: not listed twice.
          entry({ origin: 'ATTACHED', id: 'file-1', title: 'button.ts', contextType: 'FILE' }),
          entry({ origin: 'PROACTIVE', provider: 'openTab', id: 'tab-1', title: 'checkout.ts', contextType: 'FILE' }),
          entry({ origin: 'REACTIVE', provider: 'selection', id: 'sel', title: 'Lines 10–12', contextType: 'SNIPPET' }),
          entry({ origin: 'RETRIEVER', provider: 'gitlabResourceProvider', id: 'gid://gitlab/Issue/1', title: 'Checkout button unresponsive' }),
          entry({ origin: 'HISTORY', provider: 'chatHistoryProvider', contextType: 'chatHistory', title: 'Conversation history', turns: 3 }),
        ],
        steps: [{ name: 'gitlabResourceProvider', title: 'Current page', status: 'ok', reads: ['gid://gitlab/Issue/1'], startedAtMs: 0, durationMs: 12, note: null }],
      },
    })
    expect(wrapper.find('ul').attributes('aria-label')).toBe('Context used')
    expect(rows(wrapper)).toEqual([
      ['button.ts', null],
      ['checkout.ts', 'from Open tab'],
      ['Lines 10–12', 'from Selected text'],
      ['Checkout button unresponsive', 'from Current page'],
      ['3 earlier messages', 'from this conversation'],
    ])
  })

  it("names what the gateway retrieved itself by its provider's title, not its internal name", () => {
    // The react pipeline's steps are named by tool (gitlab_documentation), not by provider.
    const wrapper = mount(ChatContextUsed, {
      props: {
        contexts: [],
        used: [
          entry({ origin: 'RETRIEVER', provider: 'documentationProvider', contextType: 'documentation', title: 'Merge request approvals' }),
          entry({ origin: 'RETRIEVER', provider: 'gitlabReferencesProvider', id: 'gid://gitlab/Issue/2', title: 'acme/shop#2 Refund flow' }),
        ],
        steps: [{ name: 'gitlab_documentation', title: 'GitLab Documentation', status: 'ok', reads: [], startedAtMs: 0, durationMs: 5, note: null }],
      },
    })
    expect(rows(wrapper)).toEqual([
      ['Merge request approvals', 'from GitLab documentation'],
      ['acme/shop#2 Refund flow', 'from Referenced issues, merge requests and epics'],
    ])
  })

  it("has a title for each of the gateway's own providers, as the gateway names them", () => {
    for (const provider of GATEWAY_CONTEXT_PROVIDERS) {
      const wrapper = mount(ChatContextUsed, { props: { contexts: [], used: [entry({ origin: 'RETRIEVER', provider: provider.name, id: provider.name, title: 'x' })] } })
      expect(rows(wrapper)).toEqual([['x', `from ${provider.title}`]])
    }
  })

  it('lists only the chips while the answer has not said what it used', () => {
    const wrapper = mount(ChatContextUsed, { props: { contexts: [{ id: 'file-1', category: 'FILE', title: 'button.ts' }] } })
    expect(rows(wrapper)).toEqual([['button.ts', null]])
  })
})
