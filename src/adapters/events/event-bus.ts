import { EventEmitter } from 'node:events';
import type { NeedEventPublisher } from '../../core/needs/ports.js';
import type { NeedLiveEvent } from '../../core/needs/types.js';

export type Unsubscribe = () => void;

/** Live events for open pages. In process here; across nodes the same port rides on LISTEN/NOTIFY. */
export interface EventBus extends NeedEventPublisher {
  subscribe(needId: string, listener: (event: NeedLiveEvent) => void): Unsubscribe;
}

export const createInProcessEventBus = (): EventBus => {
  const emitter = new EventEmitter();
  // Every open need page is a listener; the default warning at 10 would fire on a busy need.
  emitter.setMaxListeners(0);
  return {
    publish: (event) => {
      emitter.emit(`need:${event.needId}`, event);
    },
    subscribe: (needId, listener) => {
      emitter.on(`need:${needId}`, listener);
      return () => emitter.off(`need:${needId}`, listener);
    },
  };
};
