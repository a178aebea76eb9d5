import { buildSchema, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql'

/** The functions of one field: `resolve` for queries and mutations, `subscribe` (+ optional `resolve`) for subscriptions. */
export interface FieldResolvers<Context> {
  resolve?: GraphQLFieldResolver<unknown, Context>
  subscribe?: GraphQLFieldResolver<unknown, Context>
}

/** Resolvers by type name and field name. */
export type ResolverMap<Context> = Record<string, Record<string, FieldResolvers<Context>>>

/**
 * Builds a schema from SDL and attaches resolvers to its fields — the small part of
 * graphql-tools' `makeExecutableSchema` this gateway needs. A resolver for a type or field the
 * SDL lacks throws, so a typo can't leave a field silently unresolved.
 */
export function makeExecutableSchema<Context>(sdl: string, resolvers: ResolverMap<Context>): GraphQLSchema {
  const schema = buildSchema(sdl)
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName)
    if (!isObjectType(type)) throw new Error(`Resolvers for "${typeName}", which is not an object type in the schema.`)
    const fieldMap = type.getFields()
    for (const [fieldName, functions] of Object.entries(fields)) {
      const field = fieldMap[fieldName]
      if (!field) throw new Error(`Resolvers for "${typeName}.${fieldName}", which the schema does not have.`)
      // graphql types fields with an untyped context; the gateway always passes its own.
      if (functions.resolve) field.resolve = functions.resolve as GraphQLFieldResolver<unknown, unknown>
      if (functions.subscribe) field.subscribe = functions.subscribe as GraphQLFieldResolver<unknown, unknown>
    }
  }
  return schema
}
