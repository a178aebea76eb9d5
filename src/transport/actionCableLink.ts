/**
 * An Apollo link for GitLab's ActionCable variant of GraphQL subscriptions (channel
 * `GraphqlChannel`): one cable subscription per operation, identified by the printed query, its
 * variables, its name and a nonce, answered with `{ result, more }` messages. The cable consumer is
 * handed over as a promise so that `@rails/actioncable` is only loaded when this transport is used.
 */
import { ApolloLink } from '@apollo/client'
import type { Consumer, Subscription } from '@rails/actioncable'
import { print, stripIgnoredCharacters, type DocumentNode, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql'
import { Observable } from 'rxjs'
import { cableLoadError, DuoChatError, extractErrorCode } from './errors'

/** The channel GitLab's GraphQL subscriptions run on. */
export const GRAPHQL_CHANNEL = 'GraphqlChannel'

export interface ActionCableLinkOptions {
  /** The cable consumer, possibly still loading. */
  consumer: Promise<Consumer>
  /** Makes the nonce that keeps two identical subscriptions apart. @default crypto.randomUUID */
  nonce?: () => string
}

/** What the server sends on a subscription: a result and whether more will follow, or errors. */
interface ChannelMessage {
  result?: FormattedExecutionResult | null
  errors?: readonly GraphQLFormattedError[]
  more?: boolean
}

/**
 * The query as the identifier carries it, printed once per document. Every message of the
 * subscription repeats the identifier, so it is printed without indentation or line breaks.
 */
const printedQueries = new WeakMap<DocumentNode, string>()
function printQuery(document: DocumentNode): string {
  let printed = printedQueries.get(document)
  if (printed === undefined) {
    printed = stripIgnoredCharacters(print(document))
    printedQueries.set(document, printed)
  }
  return printed
}

export class ActionCableLink extends ApolloLink {
  private readonly identifiers = new Set<string>()
  private readonly pending = new Set<Subscription>()
  private waiting: (() => void)[] = []

  constructor(private readonly options: ActionCableLinkOptions) {
    super()
  }

  /** Resolves once every subscription sent so far is confirmed (or refused) by the server. */
  whenConfirmed(): Promise<void> {
    return this.pending.size === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve))
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) => {
      let subscription: Subscription | null = null
      let identifier: string | null = null
      let ended = false
      const end = () => {
        ended = true
        if (identifier) this.identifiers.delete(identifier)
        if (subscription) this.settle(subscription)
      }
      const fail = (error: DuoChatError) => {
        if (ended) return
        end()
        observer.error(error)
      }

      this.options.consumer.then(
        (consumer) => {
          if (ended || observer.closed) return
          const params = this.paramsOf(operation)
          identifier = JSON.stringify(params)
          const link = this
          subscription = consumer.subscriptions.create(params, {
            connected() {
              link.settle(this as Subscription)
            },
            rejected() {
              fail(new DuoChatError('The gateway refused this subscription: sign in again, or subscribe as the signed-in user.', { kind: 'server', code: 'M3003' }))
            },
            disconnected({ willAttemptReconnect }: { willAttemptReconnect: boolean }) {
              // A reconnecting cable subscribes again after its welcome; only a final close ends us.
              if (willAttemptReconnect && !ended) link.pending.add(this as Subscription)
              else fail(new DuoChatError('The gateway closed the connection and asked not to reconnect. Sign in again.', { kind: 'server', code: null }))
            },
            received(data: ChannelMessage) {
              if (ended) return
              if (typeof data !== 'object' || data === null) {
                console.warn('[duo-chat-drawer]: dropped a cable message that is not an object', data)
                return
              }
              if (data.errors?.length) {
                const messages = data.errors.map((error) => error.message)
                fail(new DuoChatError(messages.join('; '), { kind: 'graphql', code: extractErrorCode(...messages) }))
                return
              }
              const result = data.result
              // A result without data says nothing to the subscriber (graphql-ruby sends one when it only acknowledges).
              if (result && (result.data || result.errors?.length)) observer.next(result as ApolloLink.Result)
              if (data.more === false && !ended) {
                end()
                observer.complete()
              }
            },
          })
          this.pending.add(subscription)
        },
        (error: unknown) => fail(cableLoadError(error)),
      )

      return () => {
        const running = subscription
        end()
        running?.unsubscribe()
      }
    })
  }

  private paramsOf(operation: ApolloLink.Operation) {
    const { nonce = () => crypto.randomUUID() } = this.options
    for (let attempt = 0; ; attempt++) {
      const params = {
        channel: GRAPHQL_CHANNEL,
        query: printQuery(operation.query),
        variables: operation.variables,
        operationName: operation.operationName ?? null,
        // A generator that keeps repeating itself is not trusted past a few tries.
        nonce: attempt < 5 ? nonce() : crypto.randomUUID(),
      }
      // Two subscriptions with one identifier would share every message and one unsubscribe.
      const identifier = JSON.stringify(params)
      if (!this.identifiers.has(identifier)) {
        this.identifiers.add(identifier)
        return params
      }
    }
  }

  private settle(subscription: Subscription): void {
    if (!this.pending.delete(subscription) || this.pending.size > 0) return
    const waiting = this.waiting
    this.waiting = []
    for (const resolve of waiting) resolve()
  }
}
