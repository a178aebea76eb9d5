import { describe, expect, it } from 'vitest'
import { checkControlAccess, demoOrigins, loopbackHosts, originsOf, type ControlAccess } from './controlAccess'

const hosts = loopbackHosts(4000)
const access: ControlAccess = { origins: [...originsOf(hosts), ...demoOrigins(5173)], hosts }
const check = (headers: Record<string, string>) => checkControlAccess(access, (name) => headers[name.toLowerCase()] ?? null)?.code ?? 'allowed'

describe('who may call the control routes', () => {
  it('knows the loopback names of its port, IPv6 in brackets', () => {
    expect(loopbackHosts(4000, '::1')).toEqual(['127.0.0.1:4000', 'localhost:4000', '[::1]:4000'])
    expect(loopbackHosts(4000, '0.0.0.0')).toContain('0.0.0.0:4000')
  })

  it.each([
    [{ host: '127.0.0.1:4000' }, 'allowed'],
    [{ host: 'LOCALHOST:4000' }, 'allowed'],
    [{ host: '[::1]:4000', origin: 'http://[::1]:4000' }, 'allowed'],
    [{ host: '127.0.0.1:4000', origin: 'http://localhost:5173' }, 'allowed'],
    [{ host: '127.0.0.1:4000', origin: 'HTTP://127.0.0.1:5173' }, 'allowed'],
    [{ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:5174' }, 'M3100'],
    [{ host: '127.0.0.1:4000', origin: 'https://127.0.0.1:5173' }, 'M3100'],
    [{ host: '127.0.0.1:4000', origin: 'null' }, 'M3100'],
    [{ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:5173.evil.example' }, 'M3100'],
    [{ host: '127.0.0.1:4000', 'sec-fetch-site': 'cross-site' }, 'M3100'],
    [{ host: '127.0.0.1:4000', 'sec-fetch-site': 'none' }, 'allowed'],
    [{ host: '127.0.0.1:4001' }, 'M3101'],
    [{ host: 'rebound.example:4000' }, 'M3101'],
    [{}, 'M3101'],
  ])('%j → %s', (headers, expected) => {
    expect(check(headers)).toBe(expected)
  })

  it('skips the Host check where the transport matched the URL already (msw)', () => {
    expect(checkControlAccess({ origins: ['https://duo-gateway.test'], hosts: null }, () => null)).toBeNull()
  })
})
