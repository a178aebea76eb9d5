import { getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLError } from 'graphql'
import { afterAll, describe, expect, it } from 'vitest'
import { extensionOperationSources, operationSources } from '../../src/transport/documents'
import { DEFAULT_QUERY_LIMITS, measureOperations, queryLimitRules, resolveQueryLimits, type QueryLimits } from './queryCost'
import { createTestGateway } from './testHelpers'

const gateway = createTestGateway()
afterAll(() => gateway.dispose())

function check(source: string, limits: Partial<QueryLimits> = {}): readonly GraphQLError[] {
  return validate(gateway.schema, parse(source), [...specifiedRules, ...queryLimitRules(limits)])
}

function measure(source: string, limits: Partial<QueryLimits> = {}) {
  const measures = measureOperations(gateway.schema, parse(source), resolveQueryLimits(limits))
  const [first] = measures.values()
  if (!first) throw new Error('The document has no operation.')
  return first
}

const codes = (errors: readonly GraphQLError[]) => errors.map((error) => error.extensions.code)

const MESSAGE_FIELDS = 'id content errors extras { additionalContext { id content metadata } }'

describe('query limits', () => {
  it("lets the client's own operations through with room to spare", () => {
    for (const [name, source] of Object.entries({ ...operationSources, ...extensionOperationSources })) {
      expect(check(source), name).toEqual([])
      const { depth, aliases, fields, cost } = measure(source)
      expect(depth, name).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxDepth / 2)
      expect(aliases, name).toBe(0)
      expect(fields, name).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxFields / 10)
      expect(cost, name).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxCost / 2)
    }
  })

  it('refuses 700 aliases of aiMessages (the request that hung the gateway) with M4011, M4012 and M4013', () => {
    const aliases = Array.from({ length: 700 }, (_, index) => `m${index}: aiMessages(threadId: "gid://gitlab/Ai::Conversation::Thread/1") { nodes { ${MESSAGE_FIELDS} } }`)
    const errors = check(`{ ${aliases.join('\n')} }`)
    expect(codes(errors)).toEqual(['M4011', 'M4012', 'M4013'])
    expect(errors[0]?.message).toMatch(/700 aliases, over the limit of 20\. Split it into several requests\. Error code: M4011$/)
    expect(errors[2]?.message).toMatch(/over the budget of 25,000 a request.*Error code: M4013$/)
  })

  it('counts a page by its first/last, by the largest page for a variable, and by the default page when absent', () => {
    const page = (args: string) => measure(`query ($n: Int) { aiMessages${args} { nodes { id content } } }`).cost
    expect(page('(first: 2)')).toBe(1 + 2 * 3)
    expect(page('(last: 5, first: 50)')).toBe(1 + 5 * 3)
    expect(page('(first: $n)')).toBe(1 + DEFAULT_QUERY_LIMITS.maxPageSize * 3)
    expect(page('')).toBe(1 + DEFAULT_QUERY_LIMITS.defaultPageSize * 3)
  })

  it('refuses a page so large that it breaks the budget', () => {
    expect(codes(check(`{ aiMessages(first: 1000000) { nodes { ${MESSAGE_FIELDS} } } }`))).toEqual(['M4013'])
    expect(check(`{ aiMessages(first: 5) { nodes { ${MESSAGE_FIELDS} } } }`)).toEqual([])
  })

  it('makes each mutation field expensive, so one request cannot store hundreds of questions', () => {
    const one = 'aiAction(input: { chat: { content: "hi" } }) { requestId }'
    expect(check(`mutation { ${one} }`)).toEqual([])
    expect(check(`mutation { ${Array.from({ length: 6 }, (_, index) => `q${index}: ${one}`).join('\n')} }`)).toEqual([])
    expect(codes(check(`mutation { ${Array.from({ length: 7 }, (_, index) => `q${index}: ${one}`).join('\n')} }`))).toEqual(['M4013'])
    const many = Array.from({ length: 30 }, (_, index) => `q${index}: ${one}`).join('\n')
    expect(codes(check(`mutation { ${many} }`))).toEqual(['M4011', 'M4013'])
    expect(codes(check(`mutation { ${many} }`, { maxAliases: 100 }))).toEqual(['M4013'])
  })

  it('refuses fields nested deeper than the limit with M4010', () => {
    const nested = (levels: number) => `{ __schema { types { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } } }`
    expect(measure(nested(3)).depth).toBe(6)
    expect(codes(check(nested(13)))).toEqual(['M4010'])
    expect(check(nested(3))).toEqual([])
  })

  it('lets the standard introspection query through, but not one that fans out through type references', () => {
    expect(check(getIntrospectionQuery())).toEqual([])
    expect(measure(getIntrospectionQuery()).cost).toBe(measure(getIntrospectionQuery()).fields)
    const fanOut = `{ __schema { types { ${'fields { type { '.repeat(6)}name${' } }'.repeat(6)} } } }`
    expect(measure(fanOut).depth).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxDepth)
    // graphql's own MaxIntrospectionDepthRule refuses it too, without a code.
    expect(codes(check(fanOut))).toContain('M4013')
    expect(codes(validate(gateway.schema, parse(fanOut), queryLimitRules()))).toEqual(['M4013'])
  })

  it('counts fragments by what they expand to, and measures doubling fragments without expanding them', () => {
    const levels = 40
    const fragments = Array.from({ length: levels }, (_, index) =>
      index === levels - 1 ? `fragment F${index} on AiMessage { id }` : `fragment F${index} on AiMessage { content ...F${index + 1} ...F${index + 1} }`,
    )
    // 2^40 fields once expanded: only the limits' rules run here, graphql's own would compare them all.
    const errors = validate(gateway.schema, parse(`{ aiMessages(first: 1) { nodes { ...F0 } } } ${fragments.join('\n')}`), queryLimitRules())
    expect(codes(errors)).toEqual(['M4012', 'M4013'])
    const small = `{ aiMessages(first: 1) { nodes { ...A } } } fragment A on AiMessage { ...B ...B } fragment B on AiMessage { id content }`
    expect(measure(small).fields).toBe(2 + 4)
  })

  it('refuses 600 fields with M4012 even without aliases', () => {
    expect(codes(check(`{ aiMessages(first: 1) { nodes { ${'id '.repeat(600)} } } }`))).toEqual(['M4012'])
  })

  it('survives fragment cycles (graphql reports them) and unknown fields', () => {
    const cycle = check('{ aiMessages { nodes { ...A } } } fragment A on AiMessage { ...B } fragment B on AiMessage { ...A }')
    expect(cycle.map((error) => error.message).join(' ')).toMatch(/Cannot spread fragment "A" within itself/)
    expect(check('{ aiMessages { nope } }').map((error) => error.message).join(' ')).toMatch(/Cannot query field "nope"/)
  })

  it("are the gateway's validationRules, configured through createGateway({ limits: { query } })", () => {
    const strict = createTestGateway({ limits: { query: { maxAliases: 1 } } })
    const source = '{ a: aiConversationThreads { nodes { id } } b: aiConversationThreads { nodes { id } } }'
    expect(codes(validate(strict.schema, parse(source), [...specifiedRules, ...strict.validationRules]))).toEqual(['M4011'])
    expect(validate(gateway.schema, parse(source), [...specifiedRules, ...gateway.validationRules])).toEqual([])
    strict.dispose()
  })

  it('rejects limits that make no sense', () => {
    expect(() => queryLimitRules({ maxCost: -1 })).toThrow(/maxCost/)
    expect(() => queryLimitRules({ defaultPageSize: 200, maxPageSize: 100 })).toThrow(/defaultPageSize/)
  })
})
