import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isStaff } from '../../core/accounts/roles.js';
import { needStatusLabels, type NeedLiveEvent } from '../../core/needs/types.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type NeedId } from '../../core/shared/ids.js';
import type { Services } from '../../compose.js';
import { CommentItem, HistoryItem, NewMatches, StatusTag, fellowNames } from '../../web/components/need-parts.js';
import type { AppEnv } from '../context.js';
import { actorOf } from './render.js';

const HEARTBEAT_MS = 20_000;

/** Server-sent events for an open need page: messages and status changes, already rendered. */
export const livePages = ({ needs, bus }: Services) => {
  const app = new Hono<AppEnv>();

  app.get('/needs/:id/events', async (c) => {
    const actor = actorOf(c);
    const id = c.req.param('id');
    if (!isUuid(id)) {
      throw new AppError('need.not_found', 'No such need');
    }
    // Checks access once, at connect; the page would need a reload to see anything else anyway.
    await needs.getNeed(actor, id as NeedId);
    const canSeeInternal = isStaff(actor.role);

    return streamSSE(c, async (stream) => {
      const queue: NeedLiveEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = bus.subscribe(id, (event) => {
        queue.push(event);
        wake?.();
      });
      let isOpen = true;
      stream.onAbort(() => {
        isOpen = false;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
      while (isOpen) {
        const event = queue.shift();
        if (!event) {
          // eslint-disable-next-line no-await-in-loop -- waits for the next event or the heartbeat
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, HEARTBEAT_MS);
          });
          clearTimeout(timer);
          wake = undefined;
          if (queue.length === 0 && isOpen) {
            // eslint-disable-next-line no-await-in-loop -- keeps proxies from closing an idle stream
            await stream.write(': heartbeat\n\n');
          }
          continue;
        }
        if (event.type === 'comment') {
          if (event.comment.isInternal && !canSeeInternal) {
            continue;
          }
          // eslint-disable-next-line no-await-in-loop -- events are written in order
          await stream.writeSSE({
            event: 'comment',
            data: JSON.stringify({ id: event.comment.id, authorName: event.comment.author.name, html: String(<CommentItem comment={event.comment} />) }),
          });
          continue;
        }
        if (event.type === 'matches') {
          // eslint-disable-next-line no-await-in-loop -- events are written in order
          await stream.writeSSE({
            event: 'matches',
            data: JSON.stringify({ count: event.records.length, html: String(<NewMatches records={event.records} />) }),
          });
          continue;
        }
        // eslint-disable-next-line no-await-in-loop -- the names of fellows for the history line
        const need = await needs.getNeed(actor, id as NeedId).catch(() => undefined);
        const names = need ? fellowNames(need) : new Map<string, string>();
        const historyHtml = String(<HistoryItem event={event.event} names={names} />);
        // eslint-disable-next-line no-await-in-loop -- events are written in order
        await stream.writeSSE(
          event.type === 'status'
            ? {
                event: 'status',
                data: JSON.stringify({ status: event.status, label: needStatusLabels[event.status], tagHtml: String(<StatusTag status={event.status} id="need-status" />), historyHtml }),
              }
            : { event: 'history', data: JSON.stringify({ historyHtml }) },
        );
      }
    });
  });

  return app;
};
