/**
 * The cable consumer of the 'actioncable' transport, loaded on first use. `@rails/actioncable`
 * reopens a dropped socket only after it looks stale (two missed pings, 6 s or more) or when the
 * page becomes visible again; the drawer reconnects as promptly as over graphql-ws, with the same
 * backoff, and reports the connection's state the same way.
 */
import type { Consumer } from '@rails/actioncable'
import { importActionCable } from '../lazy/parts'
import { retryDelay } from './connectionRetry'
import type { ConnectionStatus } from './createApolloClient'

export interface CableConsumerOptions {
  /** The cable's URL; a relative one is resolved against the page. */
  url: string
  /** WebSocket implementation, for environments without a global one. */
  webSocketImpl?: unknown
  /** First reconnect delay in ms; later ones double, with jitter, up to 15 s. */
  retryBaseMs: number
  onConnectionStatus?: (status: ConnectionStatus) => void
  /** Called on every welcome, i.e. whenever the socket is ready for subscriptions. */
  onWelcome(): void
}

/** The parts of the consumer's internal connection this module hooks into (not in the package's types). */
interface CableConnection {
  events: Record<string, (this: CableConnection, event: unknown) => unknown>
  monitor: { recordConnect(): void; isRunning(): boolean }
  isActive(): boolean
  open(): boolean
}

export interface CableConsumer {
  consumer: Consumer
  dispose(): void
}

export async function loadCableConsumer(options: CableConsumerOptions): Promise<CableConsumer> {
  const ActionCable = await importActionCable()
  if (options.webSocketImpl) ActionCable.adapters.WebSocket = options.webSocketImpl as typeof WebSocket
  const consumer = ActionCable.createConsumer(options.url)
  const connection = (consumer as unknown as { connection: CableConnection }).connection
  const { onConnectionStatus } = options
  let welcomed = false
  let attempt = 0
  let disposed = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const recordConnect = connection.monitor.recordConnect.bind(connection.monitor)
  connection.monitor.recordConnect = () => {
    recordConnect()
    welcomed = true
    attempt = 0
    onConnectionStatus?.('connected')
    options.onWelcome()
  }

  const events = connection.events
  const messageEvent = events.message
  const closeEvent = events.close
  // Instance-level handlers: the consumer installs `this.events` on every socket it opens.
  connection.events = {
    ...events,
    message(event) {
      // The consumer parses every frame as JSON and would throw on a malformed one: drop it instead.
      try {
        return messageEvent?.call(this, event)
      } catch (error) {
        console.warn('[duo-chat-drawer]: dropped a malformed cable message', error)
        return undefined
      }
    },
    close(event) {
      const result = closeEvent?.call(this, event)
      // A refused or final close stops the monitor: then nothing reconnects, as the server asked.
      if (disposed || !connection.monitor.isRunning()) {
        onConnectionStatus?.('idle')
        return result
      }
      onConnectionStatus?.(welcomed ? 'reconnecting' : 'connecting')
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (!disposed && connection.monitor.isRunning() && !connection.isActive()) connection.open()
      }, retryDelay(attempt++, options.retryBaseMs))
      return result
    },
  }
  onConnectionStatus?.('connecting')

  return {
    consumer,
    dispose() {
      disposed = true
      clearTimeout(timer)
      consumer.disconnect()
    },
  }
}
