import { afterEach, describe, expect, it } from 'vitest'
import { contextProviders, registerContextProvider } from './registry'

const provide = async () => null
const unregisters: (() => void)[] = []
const register = (definition: Parameters<typeof registerContextProvider>[0]) => {
  const unregister = registerContextProvider(definition)
  unregisters.push(unregister)
  return unregister
}

afterEach(() => {
  for (const unregister of unregisters.splice(0)) unregister()
})

describe('registerContextProvider', () => {
  it('lists a provider until it is unregistered, with the default timeout of 2 s', () => {
    const unregister = register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide })
    expect(contextProviders()).toEqual([expect.objectContaining({ name: 'selection', title: 'Selected text', mode: 'proactive', timeoutMs: 2000 })])
    unregister()
    expect(contextProviders()).toEqual([])
  })

  it('refuses a second provider of the same name, naming it and the fix', () => {
    register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide })
    expect(() => registerContextProvider({ name: 'selection', title: 'Other', category: 'FILE', mode: 'reactive', provide })).toThrow(
      /"selection" is already registered\. Unregister it first/,
    )
    expect(contextProviders()).toHaveLength(1)
  })

  it('frees the name once unregistered; an old unregister function does not remove the newcomer', () => {
    const first = register({ name: 'selection', title: 'Selected text', category: 'SNIPPET', mode: 'proactive', provide })
    first()
    register({ name: 'selection', title: 'Selection, again', category: 'SNIPPET', mode: 'proactive', provide })
    first()
    expect(contextProviders().map((p) => p.title)).toEqual(['Selection, again'])
  })

  it.each([
    [{ name: '', title: 'T', category: 'FILE', mode: 'proactive', provide }, /needs a "name"/],
    [{ name: 'has space', title: 'T', category: 'FILE', mode: 'proactive', provide }, /needs a "name"/],
    [{ name: 'n', title: ' ', category: 'FILE', mode: 'proactive', provide }, /needs a "title"/],
    [{ name: 'n', title: 'T', category: 'PICTURE', mode: 'proactive', provide }, /needs a "category", one of DEPENDENCY, FILE/],
    [{ name: 'n', title: 'T', category: 'FILE', mode: 'eager', provide }, /needs a "mode", 'proactive' or 'reactive'/],
    [{ name: 'n', title: 'T', category: 'FILE', mode: 'reactive' }, /needs a "provide" function/],
    [{ name: 'n', title: 'T', category: 'FILE', mode: 'reactive', provide, timeoutMs: 0 }, /"timeoutMs" above 0/],
  ])('refuses a bad definition with a clear error: %o', (definition, message) => {
    expect(() => registerContextProvider(definition as never)).toThrow(message)
    expect(contextProviders()).toEqual([])
  })
})
