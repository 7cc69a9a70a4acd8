import { Hono } from 'hono';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type LibraryId } from '../../core/shared/ids.js';
import { isStaff } from '../../core/accounts/roles.js';
import type { Services } from '../../compose.js';
import { AlertsPage } from '../../web/pages/alerts/alerts-page.js';
import type { AppEnv } from '../context.js';
import { searchQuery } from '../evidence-query.js';
import { themeFilterQuery, themeIdsOf } from '../api/schemas.js';
import { fieldErrors, formBody, formFlag, formText } from '../validation.js';
import { actorOf, pageContext, render } from './render.js';

export const alertPages = ({ living, digests }: Services) => {
  const app = new Hono<AppEnv>();

  app.get('/alerts', async (c) => {
    const actor = actorOf(c);
    const [alerts, searches, waiting] = await Promise.all([
      living.listAlerts(actor, { limit: 200, unseenOnly: false }),
      living.listSavedSearches(actor),
      isStaff(actor.role) ? digests.listUnsent(actor) : Promise.resolve(undefined),
    ]);
    return render(c, <AlertsPage context={pageContext(c)} alerts={alerts} searches={searches} digests={waiting} />);
  });

  app.post('/alerts/digests/:id/sent', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) {
      throw new AppError('search.not_found', 'No such digest');
    }
    await digests.markSent(actorOf(c), id);
    return c.redirect('/alerts', 303);
  });

  app.post('/alerts/seen', async (c) => {
    await living.markSeen(actorOf(c));
    return c.redirect('/alerts', 303);
  });

  app.post('/alerts/searches/:id/delete', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) {
      throw new AppError('search.not_found', 'No such saved search');
    }
    await living.deleteSavedSearch(actorOf(c), id);
    return c.redirect('/alerts', 303);
  });

  app.post('/search/save', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    // The same filters as the search page, theme included, so the saved search runs as the search did.
    const parsed = searchQuery.extend(themeFilterQuery.shape).safeParse(Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string')));
    if (!parsed.success) {
      throw new AppError('validation.failed', 'The search could not be saved: its filters are not valid', { fields: fieldErrors(parsed.error) });
    }
    const text = parsed.data.q;
    if (!text) {
      throw new AppError('validation.failed', 'Search for something before saving the search');
    }
    const query = parsed.data;
    await living.saveSearch(actorOf(c), {
      name: (formText(body, 'name') ?? text).slice(0, 200),
      query: text,
      filters: {
        yearFrom: query.yearFrom,
        yearTo: query.yearTo,
        designs: query.design ? [query.design] : undefined,
        levels: query.level ? [query.level] : undefined,
        libraryIds: query.library ? [query.library as LibraryId] : undefined,
        themeIds: themeIdsOf(query),
      },
      ranking: query.rank,
      wantsEmail: formFlag(body, 'wantsEmail'),
    });
    return c.redirect('/alerts', 303);
  });

  return app;
};
