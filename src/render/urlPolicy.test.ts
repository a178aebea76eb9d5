// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { applyUrlPolicy, imageVerdict, linkVerdict } from './urlPolicy'

// jsdom's page is http://localhost:3000/.
const resolvedExternal = (href: string): string | null => {
  const verdict = linkVerdict(href)
  return verdict.allowed && verdict.external ? verdict.url.href : null
}

describe('URL policy', () => {
  it('calls a link external by where the browser resolves it, not by how it is spelled', () => {
    expect(resolvedExternal('https:evil.example/p')).toBe('https://evil.example/p')
    expect(resolvedExternal('//evil.example/p')).toBe('http://evil.example/p')
    expect(resolvedExternal('https:/evil.example')).toBe('https://evil.example/')
    expect(resolvedExternal('/\\evil.example/p')).toBe('http://evil.example/p')
    expect(resolvedExternal(' \thttps://evil.example')).toBe('https://evil.example/')
    // Same scheme as the page: `http:path` is a path here, and stays.
    expect(resolvedExternal('http:evil.example/p')).toBeNull()
    expect(resolvedExternal('/acme/shop')).toBeNull()
    expect(resolvedExternal(`${location.origin}/acme`)).toBeNull()
    expect(resolvedExternal('mailto:a@b.test')).toBeNull()
  })

  it('refuses script-capable schemes, however they are hidden, and what is no URL', () => {
    for (const href of ['javascript:alert(1)', ' JaVa\tScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'blob:https://a/b', 'file:///etc/passwd', 'http://[bad']) {
      expect(linkVerdict(href).allowed, href).toBe(false)
    }
  })

  it('allows images only from allowed origins, by the resolved URL', () => {
    const self = { allowedImageOrigins: ['self'] }
    expect(imageVerdict('/logo.png', self).allowed).toBe(true)
    expect(imageVerdict('//evil.example/i.png', self).allowed).toBe(false)
    expect(imageVerdict('https:evil.example/i.png', self).allowed).toBe(false)
    expect(imageVerdict('/\\evil.example/i.png', self).allowed).toBe(false)
    expect(imageVerdict('//cdn.example/i.png', { allowedImageOrigins: ['http://cdn.example/'] }).allowed).toBe(true)
  })

  it('writes the verdict onto an element', () => {
    const link = document.createElement('a')
    link.setAttribute('href', '//evil.example/p')
    link.setAttribute('target', '_self')
    applyUrlPolicy(link, { allowedImageOrigins: ['self'] })
    expect(Object.fromEntries([...link.attributes].map((a) => [a.name, a.value]))).toEqual({
      href: 'http://evil.example/p',
      target: '_blank',
      rel: 'noopener noreferrer',
      referrerpolicy: 'no-referrer',
    })
    const local = document.createElement('a')
    local.setAttribute('href', '/acme')
    local.setAttribute('target', '_blank')
    applyUrlPolicy(local, { allowedImageOrigins: ['self'] })
    expect([local.getAttribute('href'), local.hasAttribute('target')]).toEqual(['/acme', false])
  })
})
