/**
 * Limits on what one GraphQL document may ask for, checked while it is validated, before anything
 * runs: how deep fields nest, how many aliases and fields it has once fragments are expanded, and
 * what it may cost. Without them one request with 700 aliases of `aiMessages` answered gigabytes.
 *
 * Cost: every field costs 1; a field that returns a page or a list multiplies what is selected
 * inside it by how many items it may return: `first`/`last` when written in the document, the
 * most a page may hold when they come from a variable (the resolver enforces that most), the
 * default page size when absent. A mutation field costs {@link QueryLimits.mutationCost} more,
 * because each one stores and answers a question.
 *
 * Codes (GitLab's format, series 4000 "execution"): M4010 too deep, M4011 too many aliases,
 * M4012 too many fields, M4013 over the cost budget. Each error also carries the code in
 * `extensions.code`, and its message ends with "Error code: <code>" as the client reads it.
 */
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql'
import { formatErrorMessage } from './errors'

/** The limits of one document; configurable through `createGateway({ limits: { query } })`. */
export interface QueryLimits {
  /** The deepest nesting of fields (fragments count by what they expand to). @default 15 */
  maxDepth: number
  /** The most aliased fields in one operation. @default 20 */
  maxAliases: number
  /** The most fields in one operation, fragments expanded. @default 500 */
  maxFields: number
  /** The cost budget of one operation (see the module comment). @default 25000 */
  maxCost: number
  /** Items a page holds when the query gives no `first`/`last`. @default 100 */
  defaultPageSize: number
  /** The most items a page may hold (`first`/`last` above it are refused). @default 100 */
  maxPageSize: number
  /** Items assumed for a list that is neither a page nor named in `listSizes`. @default 10 */
  defaultListSize: number
  /** Items assumed for some lists, by `Type.field`. */
  listSizes: Readonly<Record<string, number>>
  /** What a mutation field costs on top of its selection: with the default budget, at most six mutations a request. @default 4000 */
  mutationCost: number
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 15,
  maxAliases: 20,
  maxFields: 500,
  maxCost: 25_000,
  defaultPageSize: 100,
  maxPageSize: 100,
  defaultListSize: 10,
  listSizes: {
    // The most context items a question may carry (limits.maxContextItems).
    'AiMessageExtras.additionalContext': 20,
    // The resolver answers at most 100 ids.
    'Query.duoChatContextStatus': 100,
  },
  mutationCost: 4_000,
}

/** Fills in defaults and rejects values that make no sense. */
export function resolveQueryLimits(limits: Partial<QueryLimits> = {}): QueryLimits {
  const resolved: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...limits, listSizes: { ...DEFAULT_QUERY_LIMITS.listSizes, ...limits.listSizes } }
  for (const key of ['maxDepth', 'maxAliases', 'maxFields', 'maxCost', 'defaultPageSize', 'maxPageSize', 'defaultListSize', 'mutationCost'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0) throw new RangeError(`limits.query.${key} must be an integer >= 0, got ${resolved[key]}.`)
  }
  if (resolved.defaultPageSize > resolved.maxPageSize) {
    throw new RangeError(`limits.query.defaultPageSize (${resolved.defaultPageSize}) must not exceed maxPageSize (${resolved.maxPageSize}).`)
  }
  return resolved
}

/** What an operation asks for, as the limits count it. */
export interface QueryMeasure {
  depth: number
  aliases: number
  fields: number
  cost: number
}

const EMPTY: QueryMeasure = { depth: 0, aliases: 0, fields: 0, cost: 0 }

const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'more than any budget')

/** A GraphQL error with a GitLab code in its message and in `extensions.code`. */
export function limitError(code: string, sentence: string, nodes?: readonly FieldNode[] | OperationDefinitionNode): GraphQLError {
  return new GraphQLError(formatErrorMessage(code, sentence), { nodes, extensions: { code } })
}

/**
 * Measures each operation of a document. Fragments are measured once and reused, so a document
 * whose fragments spread each other twice per level costs linear time to measure, not exponential.
 */
export function measureOperations(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): Map<OperationDefinitionNode, QueryMeasure> {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
  }
  const fragmentMeasures = new Map<string, QueryMeasure>()
  const expanding = new Set<string>()

  // `reentered`: the selection is inside an introspection type reached again through a type
  // reference (`fields { type { fields … } }`), where lists fan out; see isIntrospection.
  const measureSelections = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, reentered: boolean): QueryMeasure => {
    let total = EMPTY
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total = add(total, measureField(selection, parent, reentered))
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent
        if (type && isCompositeType(type)) total = add(total, measureSelections(selection.selectionSet, type, reentered))
      } else {
        total = add(total, measureFragment(selection.name.value, reentered))
      }
    }
    return total
  }

  const measureFragment = (name: string, reentered: boolean): QueryMeasure => {
    const key = `${reentered ? 'again' : 'first'}:${name}`
    const known = fragmentMeasures.get(key)
    if (known) return known
    const fragment = fragments.get(name)
    // Unknown fragments and cycles are reported by graphql's own rules.
    if (!fragment || expanding.has(key)) return EMPTY
    const type = schema.getType(fragment.typeCondition.name.value)
    if (!type || !isCompositeType(type)) return EMPTY
    expanding.add(key)
    const measure = measureSelections(fragment.selectionSet, type, reentered)
    expanding.delete(key)
    fragmentMeasures.set(key, measure)
    return measure
  }

  const measureField = (node: FieldNode, parent: GraphQLCompositeType, reentered: boolean): QueryMeasure => {
    const definition = fieldDefinition(schema, parent, node.name.value)
    const own = { depth: 1, aliases: node.alias ? 1 : 0, fields: 1, cost: 1 }
    if (!definition) return own
    if (parent === schema.getMutationType()) own.cost += limits.mutationCost
    const type = getNamedType(definition.type)
    if (!node.selectionSet || !isCompositeType(type)) return own
    const inner = measureSelections(node.selectionSet, type, reentered || (isIntrospection(parent) && parent.name !== '__Schema' && type.name === '__Type'))
    const items = isIntrospection(parent) && !reentered ? 1 : itemCount(node, definition, parent, limits)
    return {
      depth: 1 + inner.depth,
      aliases: own.aliases + inner.aliases,
      fields: 1 + inner.fields,
      cost: own.cost + items * inner.cost,
    }
  }

  const measures = new Map<OperationDefinitionNode, QueryMeasure>()
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    const root = schema.getRootType(definition.operation)
    measures.set(definition, root ? measureSelections(definition.selectionSet, root, false) : EMPTY)
  }
  return measures
}

/**
 * Introspection answers from the schema, so its lists are as long as the schema says, once: the
 * standard introspection query costs about its field count. Only a list reached again through a
 * type reference (`fields { type { fields … } }`) multiplies, as that is how an introspection
 * query grows without bound.
 */
function isIntrospection(type: GraphQLCompositeType): boolean {
  return type.name.startsWith('__')
}

function add(left: QueryMeasure, right: QueryMeasure): QueryMeasure {
  return {
    depth: Math.max(left.depth, right.depth),
    aliases: left.aliases + right.aliases,
    fields: left.fields + right.fields,
    cost: left.cost + right.cost,
  }
}

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined
}

/** How many items a field may return: a page's size, a list's assumed length, or 1. */
function itemCount(node: FieldNode, definition: GraphQLField<unknown, unknown>, parent: GraphQLCompositeType, limits: QueryLimits): number {
  const isPage = definition.args.some((arg) => arg.name === 'first') && definition.args.some((arg) => arg.name === 'last')
  if (isPage) {
    const sizes = ['first', 'last'].map((name) => pageArgument(node, name, limits)).filter((size): size is number => size !== null)
    return sizes.length ? Math.min(...sizes) : limits.defaultPageSize
  }
  // A connection's edges and nodes are the page already counted on the connection field.
  if (parent.name.endsWith('Connection')) return 1
  const named = limits.listSizes[`${parent.name}.${definition.name}`]
  if (named !== undefined) return named
  if (!isListType(getNullableType(definition.type))) return 1
  const first = definition.args.some((arg) => arg.name === 'first') ? pageArgument(node, 'first', limits) : null
  if (first !== null) return first
  const fallback = definition.args.find((arg) => arg.name === 'first')?.defaultValue
  return typeof fallback === 'number' ? fallback : limits.defaultListSize
}

/** A page argument written in the document; the largest page for a variable; null when absent. */
function pageArgument(node: FieldNode, name: string, limits: QueryLimits): number | null {
  const value: ValueNode | undefined = node.arguments?.find((argument) => argument.name.value === name)?.value
  if (!value || value.kind === Kind.NULL) return null
  if (value.kind === Kind.INT) return Math.max(0, Number(value.value))
  return limits.maxPageSize
}

/**
 * The validation rules that enforce {@link QueryLimits}; add them to graphql's own when validating
 * (`validate(schema, document, [...specifiedRules, ...queryLimitRules(limits)])`). Each operation
 * that breaks a limit gets one error per broken limit.
 */
export function queryLimitRules(limits: Partial<QueryLimits> = {}): ValidationRule[] {
  const resolved = resolveQueryLimits(limits)
  const measured = new WeakMap<DocumentNode, Map<OperationDefinitionNode, QueryMeasure>>()
  const measureOf = (context: ValidationContext, operation: OperationDefinitionNode): QueryMeasure => {
    const document = context.getDocument()
    let measures = measured.get(document)
    if (!measures) {
      measures = measureOperations(context.getSchema(), document, resolved)
      measured.set(document, measures)
    }
    return measures.get(operation) ?? EMPTY
  }
  const rule =
    (check: (measure: QueryMeasure, limits: QueryLimits) => GraphQLError | null): ValidationRule =>
    (context): ASTVisitor => ({
      OperationDefinition(operation) {
        const error = check(measureOf(context, operation), resolved)
        if (error) context.reportError(new GraphQLError(error.message, { nodes: operation, extensions: error.extensions }))
        return false
      },
    })
  return [
    rule((measure, { maxDepth }) =>
      measure.depth > maxDepth
        ? limitError('M4010', `This query nests fields ${count(measure.depth)} levels deep, over the limit of ${count(maxDepth)}. Ask for less nested data.`)
        : null,
    ),
    rule((measure, { maxAliases }) =>
      measure.aliases > maxAliases
        ? limitError('M4011', `This query has ${count(measure.aliases)} aliases, over the limit of ${count(maxAliases)}. Split it into several requests.`)
        : null,
    ),
    rule((measure, { maxFields }) =>
      measure.fields > maxFields
        ? limitError('M4012', `This query selects ${count(measure.fields)} fields, over the limit of ${count(maxFields)}. Split it into several requests.`)
        : null,
    ),
    rule((measure, { maxCost }) =>
      measure.cost > maxCost
        ? limitError(
            'M4013',
            `This query costs ${count(measure.cost)}, over the budget of ${count(maxCost)} a request. Ask for smaller pages (first/last) or fewer fields, or split it into several requests.`,
          )
        : null,
    ),
  ]
}
