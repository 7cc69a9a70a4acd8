import { activeFilters, deletedThemeCount, type Alert, type SavedSearch } from '../../../core/matching/living.js';
import type { Digest } from '../../../core/matching/digests.js';
import { Button, CsrfField } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

/** The search page with the saved search's query and the filters it runs with (a deleted theme left out). */
const savedSearchHref = (saved: SavedSearch): string => {
  const filters = activeFilters(saved);
  const params = new URLSearchParams({ q: saved.query });
  const pairs: [string, string | number | undefined][] = [
    ['yearFrom', filters.yearFrom],
    ['yearTo', filters.yearTo],
    ['design', filters.designs?.[0]],
    ['level', filters.levels?.[0]],
    ['library', filters.libraryIds?.[0]],
    ['themeId', filters.themeIds?.[0]],
    ['rank', saved.ranking === 'plain' ? 'plain' : undefined],
  ];
  for (const [name, value] of pairs) {
    if (value !== undefined) {
      params.set(name, String(value));
    }
  }
  return `/search?${params.toString()}`;
};

export const AlertsPage = ({ context, alerts, searches, digests }: { context: PageContext; alerts: Alert[]; searches: SavedSearch[]; digests?: Digest[] | undefined }) => {
  const unseen = alerts.filter((alert) => !alert.seenAt).length;
  return (
    <Layout title="New evidence" context={context}>
      <h1>New evidence</h1>
      <p>Records that have newly entered the best matches of the needs you follow and the searches you saved.</p>
      {alerts.length === 0 ? (
        <p id="alerts-empty">Nothing new yet. You will see evidence here as it is imported.</p>
      ) : (
        <>
          {unseen > 0 ? (
            <form method="post" action="/alerts/seen">
              <CsrfField token={context.csrfToken} />
              <Button secondary>Mark all {unseen} as read</Button>
            </form>
          ) : null}
          <table class="nhsuk-table" id="alerts">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">New evidence, newest first</caption>
            <thead class="nhsuk-table__head">
              <tr class="nhsuk-table__row">
                <th class="nhsuk-table__header" scope="col">New record</th>
                <th class="nhsuk-table__header" scope="col">Matches</th>
                <th class="nhsuk-table__header" scope="col">When</th>
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {alerts.map((alert) => (
                <tr class="nhsuk-table__row">
                  <td class="nhsuk-table__cell">
                    {alert.seenAt ? null : <strong class="nhsuk-tag nhsuk-tag--blue nhsuk-u-margin-right-2">New</strong>}
                    <a href={`/evidence/records/${alert.record.id}`}>{alert.record.title}</a>
                    {alert.record.year ? ` (${alert.record.year})` : ''}
                  </td>
                  <td class="nhsuk-table__cell">
                    {alert.savedSearch.needId ? <a href={`/needs/${alert.savedSearch.needId}`}>{alert.savedSearch.name}</a> : `Saved search: ${alert.savedSearch.name}`}
                  </td>
                  <td class="nhsuk-table__cell">{formatDateTime(alert.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {digests && digests.length > 0 ? (
        <>
          <h2>Digests waiting to be sent</h2>
          <p>Email is not set up on this server (or sending failed), so these digests wait for you to send them by hand.</p>
          {digests.map((digest) => (
            <div class="nhsuk-card app-digest">
              <div class="nhsuk-card__content">
                <h3 class="nhsuk-heading-s">
                  To {digest.recipient.name} &lt;{digest.recipient.email}&gt;: {digest.subject}
                </h3>
                <pre class="app-digest__body">{digest.body}</pre>
                <form method="post" action={`/alerts/digests/${digest.id}/sent`}>
                  <CsrfField token={context.csrfToken} />
                  <Button secondary>
                    Mark as sent<span class="nhsuk-u-visually-hidden"> to {digest.recipient.name}</span>
                  </Button>
                </form>
              </div>
            </div>
          ))}
        </>
      ) : null}
      <h2>Your saved searches</h2>
      {searches.length === 0 ? (
        <p>
          None. Save a search from the <a href="/search">search page</a> to hear when new evidence matches it.
        </p>
      ) : (
        <>
          <p class="nhsuk-body-s">Each search runs with the filters and ranking it was saved with, its theme too. If that theme is deleted, the search carries on across every theme.</p>
          <ul class="nhsuk-list" id="saved-searches">
            {searches.map((saved) => (
              <li>
                <a href={savedSearchHref(saved)}>{saved.name}</a>
                {saved.themes.length > 0 ? ` (theme: ${saved.themes.map((theme) => theme.name).join(', ')})` : ''}
                {saved.ranking === 'plain' ? ' (plain ranking)' : ''}
                {saved.wantsEmail ? ' (email digest)' : ''}
                {deletedThemeCount(saved) === 0
                  ? ''
                  : saved.themes.length > 0
                    ? ' (one of its themes has been deleted; it now filters by the others)'
                    : ' (its theme has been deleted, so it now searches every theme)'}{' '}
                <form method="post" action={`/alerts/searches/${saved.id}/delete`} class="app-inline-form">
                  <CsrfField token={context.csrfToken} />
                  <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">
                    Delete<span class="nhsuk-u-visually-hidden"> the saved search {saved.name}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
};
