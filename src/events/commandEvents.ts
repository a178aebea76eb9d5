import type { CommandQueue } from '../state/commandQueue'
import type { EventSink } from './eventSink'

/** Emits a `command` event for each host command queued, started and settled; returns the function that stops. */
export function observeCommands(queue: Pick<CommandQueue, 'observe'>, sink: EventSink): () => void {
  const queuedAt = new Map<string, number>()
  return queue.observe(({ phase, command, outcome }) => {
    const at = sink.now()
    if (phase === 'queued') queuedAt.set(command.id, at)
    const since = queuedAt.get(command.id)
    if (phase === 'settled') queuedAt.delete(command.id)
    sink.emit({
      type: 'command',
      at,
      phase,
      commandId: command.id,
      resourceId: command.resourceId,
      ...(outcome ? { outcome } : {}),
      ...(phase !== 'queued' && since !== undefined ? { ms: Math.max(0, at - since) } : {}),
      ...(sink.includeText ? { text: command.question } : {}),
    })
  })
}
