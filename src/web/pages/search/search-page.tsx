import { evidenceLevelLabels, studyDesignLabels, studyDesigns } from '../../../core/evidence/classify.js';
import type { SearchExplanation } from '../../../core/evidence/search.js';
import type { Child } from 'hono/jsx';
import type { EvidenceRecord, RecordTheme } from '../../../core/evidence/types.js';
import { Button, Choices, CsrfField, Select, TextInput, emptyForm, textValue, type FormState } from '../../components/form.js';
import { DesignTag, ThemeTags, authorsSentence, citationLine } from '../../components/record-parts.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export interface SearchHitView {
  record: EvidenceRecord;
  score: number;
  snippet: { text: string; isMatch: boolean }[];
  explanation?: SearchExplanation | undefined;
}

export interface SearchPageProps {
  context: PageContext;
  form: FormState;
  /** Every research theme, for the theme filter. */
  themes: RecordTheme[];
  hits: SearchHitView[];
  total: number;
  /** Undefined before a search is made. */
  query: string | undefined;
  page: { offset: number; limit: number };
  /** The current search as a query string, for paging. */
  queryString: string;
}

const fieldLabels = { title: 'title', abstract: 'abstract', keywords: 'keywords or MeSH' } as const;

export const Snippet = ({ parts }: { parts: SearchHitView['snippet'] }) => (
  <p class="nhsuk-body-s app-snippet">{parts.map((part) => (part.isMatch ? <mark>{part.text}</mark> : part.text))}</p>
);

const Why = ({ explanation, index }: { explanation: SearchExplanation; index: number }) => (
  <details class="nhsuk-details nhsuk-u-margin-bottom-2">
    <summary class="nhsuk-details__summary">
      <span class="nhsuk-details__summary-text">
        Why this ranks<span class="nhsuk-u-visually-hidden"> (result {index + 1})</span>
      </span>
    </summary>
    <div class="nhsuk-details__text">
      <ul class="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
        {explanation.terms.map((term) => (
          <li>
            “{term.term}” in the {term.fields.map((field) => fieldLabels[field]).join(' and ')}: {term.score.toFixed(2)}
          </li>
        ))}
        {explanation.boosts.evidenceLevel > 1 ? <li>Evidence level boost: ×{explanation.boosts.evidenceLevel.toFixed(2)}</li> : null}
        {explanation.boosts.recency > 1 ? <li>Recency boost: ×{explanation.boosts.recency.toFixed(2)}</li> : null}
        {explanation.expandedWith.length > 0 ? <li>Query widened with terms from the best matches: {explanation.expandedWith.slice(0, 8).join(', ')}</li> : null}
      </ul>
    </div>
  </details>
);

export const SearchResults = <Hit extends SearchHitView>({ hits, offset, action }: { hits: Hit[]; offset: number; action?: (hit: Hit) => Child }) => (
  <ol class="app-results" start={offset + 1}>
    {hits.map((hit, index) => (
      <li class="app-record">
        <h2 class="nhsuk-heading-s nhsuk-u-margin-bottom-1">
          <a href={`/evidence/records/${hit.record.id}`}>{hit.record.title}</a>
        </h2>
        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
          {authorsSentence(hit.record.authors)} {citationLine(hit.record)}
        </p>
        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
          <DesignTag record={hit.record} />
        </p>
        <ThemeTags record={hit.record} />
        {hit.snippet.length > 0 ? <Snippet parts={hit.snippet} /> : null}
        {hit.explanation ? <Why explanation={hit.explanation} index={offset + index} /> : null}
        {action ? action(hit) : null}
      </li>
    ))}
  </ol>
);

/** Saving a search keeps its theme filter; says so, and what happens if the theme is deleted. */
const SavedThemeNote = ({ theme }: { theme: RecordTheme | undefined }) =>
  theme ? (
    <p class="nhsuk-body-s" id="saved-theme-note">
      The search keeps its theme, {theme.name}: only new records tagged with it will be news. If the theme is deleted later, the search carries on across every theme.
    </p>
  ) : null;

export const SearchPage = ({ context, form, themes, hits, total, query, page, queryString }: SearchPageProps) => (
  <Layout title={query ? `Search: ${query}` : 'Search the evidence'} context={context}>
    <h1>Search the evidence</h1>
    <form method="get" action="/search" aria-label="Search the evidence library">
      <TextInput name="q" label="What are you looking for?" hint='Words in any order. Put "exact phrases" in quotes; end a word with * to match its beginning.' state={form} />
      <div class="app-filters">
        <TextInput name="yearFrom" label="From year" type="number" widthClass="nhsuk-input--width-4" state={form} />
        <TextInput name="yearTo" label="To year" type="number" widthClass="nhsuk-input--width-4" state={form} />
        <Select name="design" label="Study design" placeholder="Any design" state={form} options={studyDesigns.map((design) => ({ value: design, label: studyDesignLabels[design] }))} />
        <Select
          name="level"
          label="Evidence level"
          placeholder="Any level"
          state={form}
          options={[1, 2, 3, 4, 5, 6].map((level) => ({ value: String(level), label: evidenceLevelLabels[level] ?? String(level) }))}
        />
        {themes.length > 0 ? (
          <Select name="themeId" label="Theme" placeholder="Any theme" state={form} options={themes.map((theme) => ({ value: theme.id, label: theme.name }))} />
        ) : null}
      </div>
      <Choices
        kind="radio"
        name="rank"
        label="Order"
        small
        state={form}
        options={[
          { value: 'boosted', label: 'Relevance, with higher evidence levels and recent work first' },
          { value: 'plain', label: 'Relevance only' },
        ]}
      />
      <Button>Search</Button>
    </form>
    {query === undefined ? null : (
      <>
        <p id="results-count">
          {total === 1 ? '1 record' : `${total} records`} found
          {total > 0 && page.offset < total ? `, showing ${page.offset + 1} to ${Math.min(page.offset + page.limit, total)}` : ''}
          {total > 0 && page.offset >= total ? '; this page is past the last result' : ''}.
        </p>
        <SearchResults hits={hits} offset={page.offset} />
        <details class="nhsuk-details">
          <summary class="nhsuk-details__summary">
            <span class="nhsuk-details__summary-text">Save this search and hear of new evidence</span>
          </summary>
          <div class="nhsuk-details__text">
            <form method="post" action="/search/save">
              <CsrfField token={context.csrfToken} />
              {['q', 'yearFrom', 'yearTo', 'design', 'level', 'library', 'themeId', 'rank'].map((name) => {
                const value = textValue(form, name);
                return value ? <input type="hidden" name={name} value={value} /> : null;
              })}
              <SavedThemeNote theme={themes.find((theme) => theme.id === textValue(form, 'themeId'))} />
              <TextInput name="name" label="Name for this search" state={emptyForm({ name: query.slice(0, 120) })} />
              <Choices
                kind="checkbox"
                name="wantsEmail"
                label="Email"
                small
                state={emptyForm()}
                options={[{ value: 'true', label: 'Email me a digest of new matches', hint: 'When email is not set up, your alerts page lists them instead' }]}
              />
              <Button secondary>Save search</Button>
            </form>
          </div>
        </details>
        {total > page.offset + page.limit || page.offset > 0 ? (
          <nav class="nhsuk-pagination" role="navigation" aria-label="Pages of results">
            <ul class="nhsuk-list nhsuk-pagination__list">
              {page.offset > 0 ? (
                <li class="nhsuk-pagination-item--previous">
                  <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href={`/search?${queryString}&offset=${Math.max(0, page.offset - page.limit)}`}>
                    <span class="nhsuk-pagination__title">Previous</span>
                  </a>
                </li>
              ) : null}
              {total > page.offset + page.limit ? (
                <li class="nhsuk-pagination-item--next">
                  <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={`/search?${queryString}&offset=${page.offset + page.limit}`}>
                    <span class="nhsuk-pagination__title">Next</span>
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </>
    )}
  </Layout>
);
