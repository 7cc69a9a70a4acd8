import { evidenceLevelLabels, studyDesignLabels, type StudyDesign } from '../../../core/evidence/classify.js';
import type { RecordFacets } from '../../../core/evidence/ports.js';
import { exportFormats } from '../../../core/evidence/record.js';
import type { EvidenceRecord, Library } from '../../../core/evidence/types.js';
import { Button, Select, TextInput, emptyForm, type FormState } from '../../components/form.js';
import { RecordSummary } from '../../components/record-parts.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export interface LibraryPageProps {
  context: PageContext;
  library: Library;
  records: EvidenceRecord[];
  total: number;
  facets: RecordFacets;
  filters: FormState;
  /** The filter as a query string, for paging and export links. */
  query: string;
  page: { offset: number; limit: number };
  canImport: boolean;
  openCandidates: number;
}

const exportLabels: Record<(typeof exportFormats)[number], string> = { ris: 'RIS', csv: 'CSV', 'csl-json': 'CSL-JSON', bibtex: 'BibTeX' };

export const LibraryPage = ({ context, library, records, total, facets, filters, query, page, canImport, openCandidates }: LibraryPageProps) => {
  const withOffset = (offset: number) => `/evidence?${query}${query ? '&' : ''}offset=${offset}`;
  return (
    <Layout title="Evidence library" context={context}>
      <span class="nhsuk-caption-l">{library.name}</span>
      <h1>Evidence library</h1>
      <p>
        {canImport ? (
          <>
            <a href="/evidence/import">Import references</a> ·{' '}
          </>
        ) : null}
        <a href="/evidence/duplicates">Possible duplicates ({openCandidates})</a> · <a href="/evidence/imports">Import history</a>
      </p>
      <form method="get" action="/evidence" class="app-filters" aria-label="Filter records">
        <TextInput name="text" label="Title contains" state={filters} />
        <TextInput name="yearFrom" label="From year" type="number" widthClass="nhsuk-input--width-4" state={filters} />
        <TextInput name="yearTo" label="To year" type="number" widthClass="nhsuk-input--width-4" state={filters} />
        <Select
          name="design"
          label="Study design"
          placeholder="Any design"
          state={filters}
          options={facets.designs.map(({ design, count }) => ({ value: design, label: `${studyDesignLabels[design as StudyDesign]} (${count})` }))}
        />
        <Select
          name="level"
          label="Evidence level"
          placeholder="Any level"
          state={filters}
          options={facets.levels.filter((entry) => entry.level !== null).map(({ level, count }) => ({ value: String(level), label: `${evidenceLevelLabels[level ?? 0] ?? level} (${count})` }))}
        />
        <Select
          name="source"
          label="Source database"
          placeholder="Any database"
          state={filters}
          options={facets.sourceDatabases.map(({ name, count }) => ({ value: name, label: `${name} (${count})` }))}
        />
        <Select
          name="themeId"
          label="Theme"
          placeholder="Any theme"
          state={filters}
          options={facets.themes.map(({ id, name, count }) => ({ value: id, label: `${name} (${count})` }))}
        />
        <Button secondary>Filter</Button>
      </form>
      <p class="nhsuk-body-s" id="records-count">
        {total === 1 ? '1 record' : `${total} records`}
        {total > 0 ? `, showing ${page.offset + 1} to ${Math.min(page.offset + page.limit, total)}` : ''}. Export these:{' '}
        {exportFormats.map((format, index) => (
          <>
            {index > 0 ? ', ' : ''}
            <a href={`/evidence/export?${query}${query ? '&' : ''}format=${format}`}>{exportLabels[format]}</a>
          </>
        ))}
      </p>
      {records.length === 0 ? (
        <p>No records match.</p>
      ) : (
        <form method="get" action="/evidence/export" aria-label="Export chosen records">
          {records.map((record) => (
            <div class="app-record-choice">
              <div class="nhsuk-checkboxes__item">
                <input class="nhsuk-checkboxes__input" id={`choose-${record.id}`} name="ids" type="checkbox" value={record.id} />
                <label class="nhsuk-label nhsuk-checkboxes__label" for={`choose-${record.id}`}>
                  <span class="nhsuk-u-visually-hidden">Choose {record.title}</span>
                </label>
              </div>
              <RecordSummary record={record} headingLevel={2} />
            </div>
          ))}
          <Select name="format" label="Export the chosen records as" state={emptyForm({ format: 'ris' })} options={exportFormats.map((format) => ({ value: format, label: exportLabels[format] }))} />
          <Button secondary>Export chosen records</Button>
        </form>
      )}
      {total > page.limit ? (
        <nav class="nhsuk-pagination" role="navigation" aria-label="Pages of records">
          <ul class="nhsuk-list nhsuk-pagination__list">
            {page.offset > 0 ? (
              <li class="nhsuk-pagination-item--previous">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href={withOffset(Math.max(0, page.offset - page.limit))}>
                  <span class="nhsuk-pagination__title">Previous</span>
                </a>
              </li>
            ) : null}
            {page.offset + page.limit < total ? (
              <li class="nhsuk-pagination-item--next">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={withOffset(page.offset + page.limit)}>
                  <span class="nhsuk-pagination__title">Next</span>
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
};
