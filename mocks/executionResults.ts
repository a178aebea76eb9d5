/** What both transports (Node and msw) do to an execution result before it goes on the wire. */
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql'

/**
 * Errors the resolvers did not mean to show (a crash, not a GraphQLError) become "Internal server
 * error": their text could hold anything, including data of other users. They go to the console.
 */
export function maskUnexpectedErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result
  return {
    ...result,
    errors: result.errors.map((error) => {
      if (!error.originalError || error.originalError instanceof GraphQLError) return error
      console.error('[mock gateway] a resolver failed', error.originalError)
      return new GraphQLError('Internal server error', {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      })
    }),
  }
}

export function formatResult(result: ExecutionResult): FormattedExecutionResult {
  const { errors, ...rest } = result
  return errors ? { ...rest, errors: errors.map((error) => error.toJSON()) } : rest
}
