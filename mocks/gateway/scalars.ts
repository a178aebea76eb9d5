import { GraphQLError, isScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql'

/** GitLab's id scalars: strings such as `gid://gitlab/Issue/1`. */
const ID_SCALARS = ['AiModelID', 'UserID', 'AiAgentVersionID', 'AiConversationThreadID', 'NamespaceID', 'ProjectID']

/** Longer than any real global id; more is hostile input, not an id. */
export const MAX_ID_LENGTH = 255

/**
 * Makes the id scalars accept strings only (at most {@link MAX_ID_LENGTH} characters). `buildSchema`
 * leaves custom scalars accepting any JSON value, so `resourceId: {}` or `threadId: 42` would reach
 * the resolvers; with this they are answered with a GraphQL error naming the argument instead.
 */
export function restrictIdScalars(schema: GraphQLSchema): void {
  for (const name of ID_SCALARS) {
    const type = schema.getType(name)
    if (!isScalarType(type)) continue
    const check = (value: unknown): string => {
      if (typeof value !== 'string') throw new GraphQLError(`${name} must be a string such as "gid://gitlab/…", got ${describe(value)}.`)
      if (value.length > MAX_ID_LENGTH) throw new GraphQLError(`${name} must be at most ${MAX_ID_LENGTH} characters long.`)
      return value
    }
    type.parseValue = check
    type.parseLiteral = (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string such as "gid://gitlab/…".`)
      return check(node.value)
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  const type = typeof value
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}
