import { Hono } from 'hono';
import type { Services } from '../../compose.js';
import { emptyForm } from '../../web/components/form.js';
import { SearchPage } from '../../web/pages/search/search-page.js';
import type { AppEnv } from '../context.js';
import { searchQuery } from '../evidence-query.js';
import { runSearch } from '../search-runner.js';
import { themeFilterQuery } from '../api/schemas.js';
import { actorOf, pageContext, render } from './render.js';

export const searchPages = (services: Services) => {
  const app = new Hono<AppEnv>();

  app.get('/search', async (c) => {
    const actor = actorOf(c);
    const raw = c.req.query();
    const pageQuery = searchQuery.extend(themeFilterQuery.shape);
    const parsed = pageQuery.safeParse(raw);
    const query = parsed.success ? parsed.data : pageQuery.parse({ q: raw.q });
    const themes = await services.directory.listThemes(actor);
    const keep = Object.entries(raw).filter(([key, value]) => key !== 'offset' && value !== '');
    const form = emptyForm({ rank: 'boosted', ...Object.fromEntries(keep) });
    if (!query.q) {
      return render(c, <SearchPage context={pageContext(c)} form={form} themes={themes} hits={[]} total={0} matching={0} expandedWith={[]} query={undefined} page={{ offset: 0, limit: query.limit }} queryString="" />);
    }
    // `themeId` rides along in the query to runSearch, which passes it to the index as `filters.themeIds`.
    const { hits, total, matching, expandedWith } = await runSearch(services, actor, { ...query, q: query.q });
    return render(
      c,
      <SearchPage
        context={pageContext(c)}
        form={form}
        themes={themes}
        hits={hits}
        total={total}
        matching={matching}
        expandedWith={expandedWith}
        query={query.q}
        page={{ offset: query.offset, limit: query.limit }}
        queryString={new URLSearchParams(keep).toString()}
      />,
    );
  });

  return app;
};
