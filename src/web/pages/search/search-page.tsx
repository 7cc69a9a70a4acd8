import { evidenceLevelLabels, studyDesignLabels, studyDesigns } from '../../../core/evidence/classify.js';
import type { SearchExplanation } from '../../../core/evidence/search.js';
import { relatedCountSentence, relatedWordsOf, widenedWords } from '../../../core/evidence/widened-search.js';
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
  /** Holds none of the query's own words: only the widening found it. */
  isRelated?: boolean | undefined;
  explanation?: SearchExplanation | undefined;
}

export interface SearchPageProps {
  context: PageContext;
  form: FormState;
  /** Every research theme, for the theme filter. */
  themes: RecordTheme[];
  hits: SearchHitView[];
  /** Records the search found: those matching the query's own words and the related ones the widening added. */
  total: number;
  /** Of `total`, the records holding the query's own words (with prefixes and phrases), under the same filters. */
  matching: number;
  /** The words the search was widened with, from its top results (empty when it was not). */
  expandedWith: string[];
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

/**
 * The hits, best first. With `relatedWords` (a widened search), a heading marks where the related
 * records begin (the first hit holding none of the query's words), and each related hit is tagged:
 * the order is the ranking's, so a record with the query's words may still come after a related one.
 */
export const SearchResults = <Hit extends SearchHitView>({ hits, offset, action, relatedWords }: { hits: Hit[]; offset: number; action?: (hit: Hit) => Child; relatedWords?: readonly string[] | undefined }) => {
  const item = (hit: Hit, index: number) => (
    <li class="app-record">
      <h2 class="nhsuk-heading-s nhsuk-u-margin-bottom-1">
        <a href={`/evidence/records/${hit.record.id}`}>{hit.record.title}</a>
      </h2>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
        {authorsSentence(hit.record.authors)} {citationLine(hit.record)}
      </p>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
        {relatedWords && hit.isRelated ? (
          <>
            <strong class="nhsuk-tag nhsuk-tag--grey">Related</strong>{' '}
          </>
        ) : null}
        <DesignTag record={hit.record} />
      </p>
      <ThemeTags record={hit.record} />
      {hit.snippet.length > 0 ? <Snippet parts={hit.snippet} /> : null}
      {hit.explanation ? <Why explanation={hit.explanation} index={offset + index} /> : null}
      {action ? action(hit) : null}
    </li>
  );
  const firstRelated = relatedWords ? hits.findIndex((hit) => hit.isRelated) : -1;
  if (firstRelated < 0) {
    return (
      <ol class="app-results" start={offset + 1}>
        {hits.map(item)}
      </ol>
    );
  }
  return (
    <>
      {firstRelated > 0 ? (
        <ol class="app-results" start={offset + 1}>
          {hits.slice(0, firstRelated).map(item)}
        </ol>
      ) : null}
      <h2 class="nhsuk-heading-m nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-2" id="related-records">
        Related records
      </h2>
      <p class="nhsuk-body-s">
        From here on, records tagged Related do not contain your words. They were found by widening the search with words from its top results: {widenedWords(relatedWords ?? [])}.
      </p>
      <ol class="app-results" start={offset + firstRelated + 1}>
        {hits.slice(firstRelated).map((hit, index) => item(hit, firstRelated + index))}
      </ol>
    </>
  );
};

/** How many records a search found: those with the user's own words apart from the related ones widening added. */
const ResultsCount = ({ total, matching, expandedWith, page }: Pick<SearchPageProps, 'total' | 'matching' | 'expandedWith' | 'page'>) => {
  const widened = relatedCountSentence({ total, matching, expandedWith });
  const found = widened ?? `${total === 1 ? '1 record' : `${total} records`} found`;
  const showing = widened ? `. Showing ${page.offset + 1} to ${Math.min(page.offset + page.limit, total)} of ${total}` : `, showing ${page.offset + 1} to ${Math.min(page.offset + page.limit, total)}`;
  return (
    <p id="results-count">
      {found}
      {total > 0 && page.offset < total ? showing : ''}
      {total > 0 && page.offset >= total ? '; this page is past the last result' : ''}.
    </p>
  );
};

/** Saving a search keeps its theme filter; says so, and what happens if the theme is deleted. */
const SavedThemeNote = ({ theme }: { theme: RecordTheme | undefined }) =>
  theme ? (
    <p class="nhsuk-body-s" id="saved-theme-note">
      The search keeps its theme, {theme.name}: only new records tagged with it will be news. If the theme is deleted later, the search carries on across every theme.
    </p>
  ) : null;

export const SearchPage = ({ context, form, themes, hits, total, matching, expandedWith, query, page, queryString }: SearchPageProps) => (
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
        <ResultsCount total={total} matching={matching} expandedWith={expandedWith} page={page} />
        <SearchResults hits={hits} offset={page.offset} relatedWords={relatedWordsOf({ total, matching, expandedWith })} />
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
