import { importFormats } from '../../../core/evidence/record.js';
import type { ImportBatch, ImportSummary, RecordTheme } from '../../../core/evidence/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextInput, type FormState } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

/** Whether a file with invalid records imports its good ones (the library's and a review's import forms). */
export const SkipInvalidChoice = ({ form }: { form: FormState }) => (
  <Choices
    kind="checkbox"
    name="skipInvalid"
    label="Records with problems"
    state={form}
    options={[{ value: 'true', label: 'Import the good records and list the ones skipped', hint: 'Otherwise a file with any invalid record imports nothing' }]}
  />
);

export const formatLabels: Record<(typeof importFormats)[number], string> = {
  ris: 'RIS (Embase, Ovid, ProQuest, Scopus, Web of Science, Zotero, EndNote)',
  medline: 'MEDLINE / PubMed text (.nbib, .txt)',
  wos: 'Web of Science plain text (.txt, .isi)',
  'pubmed-xml': 'PubMed XML',
  'endnote-xml': 'EndNote XML',
  'endnote-tagged': 'EndNote tagged (.enw)',
  bibtex: 'BibTeX',
  csv: 'CSV or TSV (ASReview columns)',
  'csl-json': 'CSL-JSON',
};

export const ImportPage = ({ context, form, themes }: { context: PageContext; form: FormState; themes: RecordTheme[] }) => (
  <Layout title="Import references" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={['file', 'format', 'query', 'themeIds']} />
        <h1>Import references</h1>
        <p>
          Upload an export from a bibliographic database or reference manager. Mobilise reads the format from the file, removes duplicates against the library,
          and classifies each record’s study design. A file is imported completely or not at all.
        </p>
        <form method="post" action="/evidence/import" enctype="multipart/form-data" novalidate>
          <CsrfField token={context.csrfToken} />
          <TextInput name="file" label="File" type="file" state={form} />
          <Select name="format" label="Format" placeholder="Detect from the file" state={form} options={importFormats.map((format) => ({ value: format, label: formatLabels[format] }))} />
          <TextInput name="query" label="Search string (optional)" hint="The search that produced this file, kept with the import for your records" state={form} />
          {themes.length > 0 ? (
            <Choices
              kind="checkbox"
              name="themeIds"
              label="Themes (optional)"
              hint="Every record in the file is tagged with the themes you choose, including records already in the library"
              small
              state={form}
              options={themes.map((theme) => ({ value: theme.id, label: theme.name }))}
            />
          ) : null}
          <SkipInvalidChoice form={form} />
          <Button>Import</Button>
        </form>
      </div>
    </div>
  </Layout>
);

/** The status an import's summary page answers with: 200 when records were imported, else 422 (nothing was, or there was nothing to import). */
export const importSummaryStatus = (summary: ImportSummary): 200 | 422 => (summary.isCommitted && summary.parsed > 0 ? 200 : 422);

/** Where the summary's links go: the main library's pages, or a review's (`into`). */
interface SummaryLinks {
  into: string | undefined;
  duplicates: string;
  again: { href: string; label: string };
  back: { href: string; label: string };
}

const libraryLinks: SummaryLinks = {
  into: undefined,
  duplicates: '/evidence/duplicates',
  again: { href: '/evidence/import', label: 'Import another file' },
  back: { href: '/evidence', label: 'Go to the evidence library' },
};

/** The same links for an import into a review. */
export const reviewSummaryLinks = (review: { id: string; reference: string; title: string }): SummaryLinks => ({
  into: `${review.reference} ${review.title}`,
  duplicates: `/reviews/${review.id}/duplicates`,
  again: { href: `/reviews/${review.id}`, label: 'Go to the review’s overview' },
  back: { href: `/reviews/${review.id}/records`, label: 'Go to the review’s records' },
});

export const ImportSummaryPage = ({ context, summary, links = libraryLinks }: { context: PageContext; summary: ImportSummary; links?: SummaryLinks }) => (
  <Layout title="Import summary" context={context}>
    <h1>{summary.parsed === 0 && summary.errors.length === 0 ? 'No records in this file' : summary.isCommitted ? 'Import complete' : 'Nothing was imported'}</h1>
    {links.into ? <p>Into the review {links.into}.</p> : null}
    {summary.parsed === 0 && summary.errors.length === 0 ? <p id="summary-empty">The file was read as {formatLabels[summary.format]} but holds no records. Check that it is the export you meant.</p> : null}
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">File</dt>
        <dd class="nhsuk-summary-list__value">
          {summary.file} ({formatLabels[summary.format]})
        </dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">Records read</dt>
        <dd class="nhsuk-summary-list__value" id="summary-parsed">
          {summary.parsed}
        </dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">New records</dt>
        <dd class="nhsuk-summary-list__value" id="summary-imported">
          {summary.imported}
        </dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">Duplicates merged</dt>
        <dd class="nhsuk-summary-list__value" id="summary-duplicates">
          {summary.duplicates}
        </dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">Possible duplicates to check</dt>
        <dd class="nhsuk-summary-list__value">
          {summary.candidates > 0 ? <a href={links.duplicates}>{summary.candidates}</a> : '0'}
        </dd>
      </div>
    </dl>
    {summary.errors.length > 0 ? (
      <>
        <h2>{summary.isCommitted ? 'Records skipped' : 'Records with problems'}</h2>
        {!summary.isCommitted && summary.parsed > 0 ? <p>Fix these records and import the file again, or choose to import the good records and skip these.</p> : null}
        <table class="nhsuk-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Problems by line</caption>
          <thead class="nhsuk-table__head">
            <tr class="nhsuk-table__row">
              <th class="nhsuk-table__header" scope="col">Line</th>
              <th class="nhsuk-table__header" scope="col">Problem</th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {summary.errors.slice(0, 500).map((error) => (
              <tr class="nhsuk-table__row">
                <td class="nhsuk-table__cell">{error.line}</td>
                <td class="nhsuk-table__cell">{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ) : null}
    <p>
      <a href={links.back.href}>{links.back.label}</a> · <a href={links.again.href}>{links.again.label}</a>
    </p>
  </Layout>
);

export const ImportsPage = ({ context, batches }: { context: PageContext; batches: ImportBatch[] }) => (
  <Layout title="Import history" context={context}>
    <h1>Import history</h1>
    <p>Every import is kept with its file’s fingerprint (SHA-256), so a library can be traced back to its searches.</p>
    {batches.length === 0 ? (
      <p>Nothing has been imported yet.</p>
    ) : (
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Imports, newest first</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="col">When</th>
            <th class="nhsuk-table__header" scope="col">File</th>
            <th class="nhsuk-table__header" scope="col">Read</th>
            <th class="nhsuk-table__header" scope="col">New</th>
            <th class="nhsuk-table__header" scope="col">Duplicates</th>
            <th class="nhsuk-table__header" scope="col">By</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {batches.map((batch) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">{formatDateTime(batch.createdAt)}</td>
              <td class="nhsuk-table__cell">
                <a href={`/evidence?batch=${batch.id}`}>{batch.fileName}</a>
                <br />
                <span class="nhsuk-body-s">
                  {batch.format}
                  {batch.searchQuery ? `; search: ${batch.searchQuery}` : ''}; SHA-256 {batch.fileSha256.slice(0, 12)}…
                </span>
              </td>
              <td class="nhsuk-table__cell">{batch.parsed}</td>
              <td class="nhsuk-table__cell">{batch.imported}</td>
              <td class="nhsuk-table__cell">{batch.duplicates}</td>
              <td class="nhsuk-table__cell">{batch.importedBy ?? 'Command line'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);
