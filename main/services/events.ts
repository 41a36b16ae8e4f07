import type { ApiEvent, ApiEvents, EventName } from '../../preload/api';

/**
 * One event hub per app: services emit, front doors (IPC, Server-Sent Events) forward to their
 * windows or browsers. A throwing listener never stops the others or the service that emitted.
 */
export type EventListener = (event: ApiEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: ApiEvents[E]): void {
    const event = { name, payload } as ApiEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A dead window or closed socket is the front door's business, not the emitter's.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  get size(): number {
    return this.listeners.size;
  }
}
