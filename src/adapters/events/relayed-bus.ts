import type { Logger } from 'pino';
import type { NeedLiveEvent } from '../../core/needs/types.js';
import type { Database } from '../db/database.js';
import { createInProcessEventBus, type EventBus } from './event-bus.js';

const CHANNEL = 'need_events';
/** Rows only live while they are relayed; older ones go, a few at a time, as new ones arrive. */
const KEEP_MINUTES = 10;
const PRUNE_EVERY = 100;

export interface RelayedEventBus extends EventBus {
  /** Starts hearing other nodes' events (LISTEN). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Dates arrive as ISO strings after the JSON round trip; the page renderers expect Date objects.
 * Only the fields the event types declare as dates are revived.
 */
export const reviveLiveEvent = (value: NeedLiveEvent): NeedLiveEvent => {
  if (value.type === 'comment') {
    return { ...value, comment: { ...value.comment, createdAt: new Date(value.comment.createdAt) } };
  }
  if (value.type === 'status' || value.type === 'history') {
    return { ...value, event: { ...value.event, at: new Date(value.event.at) } };
  }
  return value;
};

/**
 * The event bus for several app nodes on one PostgreSQL server. An event reaches this node's open
 * pages at once, and every other node's through a `live_events` row and NOTIFY. Events from one
 * node arrive at another in the order they were published. Without LISTEN (PGlite: one process by
 * design) it is the in-process bus.
 */
export const createRelayedEventBus = ({ db, nodeId, logger }: { db: Database; nodeId: string; logger?: Logger | undefined }): RelayedEventBus => {
  const local = createInProcessEventBus();
  if (!db.listen) {
    return { ...local, start: async () => undefined, stop: async () => undefined };
  }
  let unlisten: (() => Promise<void>) | undefined;
  let published = 0;
  // Relaying is sequential so that events leave (and arrive) in the order they were published.
  let sending: Promise<unknown> = Promise.resolve();
  let receiving: Promise<unknown> = Promise.resolve();
  const warn = (what: string) => (error: unknown) => logger?.warn({ err: error }, what);

  const send = async (event: NeedLiveEvent) => {
    await db.query(
      `with added as (insert into live_events (node, payload) values ($1, $2::jsonb) returning id)
       select pg_notify('${CHANNEL}', id::text) from added`,
      [nodeId, JSON.stringify(event)],
    );
    published += 1;
    if (published % PRUNE_EVERY === 0) {
      await db.query(`delete from live_events where created_at < now() - interval '${KEEP_MINUTES} minutes'`);
    }
  };

  const receive = async (payload: string) => {
    const id = Number(payload);
    if (!Number.isSafeInteger(id)) {
      return;
    }
    const [row] = await db.query<{ node: string; payload: NeedLiveEvent }>('select node, payload from live_events where id = $1', [id]);
    if (row && row.node !== nodeId) {
      local.publish(reviveLiveEvent(row.payload));
    }
  };

  return {
    subscribe: local.subscribe,
    publish: (event) => {
      local.publish(event);
      sending = sending.then(() => send(event)).catch(warn('could not relay a live event to other nodes'));
    },
    start: async () => {
      unlisten ??= await db.listen?.(CHANNEL, (payload) => {
        receiving = receiving.then(() => receive(payload)).catch(warn('could not read a live event from another node'));
      });
    },
    stop: async () => {
      await sending;
      await unlisten?.();
      unlisten = undefined;
      await receiving;
    },
  };
};
