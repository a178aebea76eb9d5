// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { STANDALONE_PART_FILES } from './standalonePartFiles'

afterEach(() => {
  vi.restoreAllMocks()
})

// The script reads its own URL once, while it runs: each test loads the module afresh.
async function loadWhileScriptRuns(src: string | null): Promise<typeof import('./standaloneParts')> {
  vi.resetModules()
  const script = src === null ? null : Object.assign(document.createElement('script'), { src })
  vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script)
  return import('./standaloneParts')
}

describe('the standalone script’s parts', () => {
  it('are looked for beside the script, wherever the page is', async () => {
    const { partUrl } = await loadWhileScriptRuns('https://cdn.example.com/duo/1.2.0/duo-chat-drawer.iife.js')
    expect(partUrl(STANDALONE_PART_FILES.renderer)).toBe('https://cdn.example.com/duo/1.2.0/duo-chat-drawer.renderer.js')
    expect(partUrl(STANDALONE_PART_FILES.actionCable)).toBe('https://cdn.example.com/duo/1.2.0/duo-chat-drawer.actioncable.js')
  })

  it('are looked for beside the page when no script was running (loaded as a module, say)', async () => {
    const { partUrl } = await loadWhileScriptRuns(null)
    expect(partUrl(STANDALONE_PART_FILES.renderer)).toBe(new URL('duo-chat-drawer.renderer.js', document.baseURI).href)
  })
})
