import type { DuplicateCandidate, EvidenceRecord } from '../../../core/evidence/types.js';
import { importFormats } from '../../../core/evidence/record.js';
import type { RecordProgress } from '../../../core/reviews/screening-state.js';
import { decisionLabels, type RecordStageState, type Review } from '../../../core/reviews/types.js';
import { counted } from '../../../core/shared/text.js';
import { Button, CsrfField, ErrorSummary, Select, TextInput, type FormState } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { DesignTag, authorsSentence, citationLine } from '../../components/record-parts.js';
import type { PageContext } from '../../page-context.js';
import { SkipInvalidChoice, formatLabels } from '../evidence/import-page.js';
import { ReviewFrame } from './review-frame.js';

const stateText = (state: RecordStageState): string => {
  switch (state.kind) {
    case 'not_reached':
      return '–';
    case 'to_screen':
      return state.decisions === 0 ? 'To screen' : `${state.decisions} of 2 decisions`;
    case 'conflict':
      return 'Conflict';
    case 'decided':
      return `${decisionLabels[state.decision]}${state.reason ? ` (${state.reason})` : ''}${state.byResolution ? ', resolved' : ''}`;
  }
};

const Pick = ({ records, name }: { records: { record: EvidenceRecord; note?: string }[]; name: string }) => (
  <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
    {records.map(({ record, note }, index) => (
      <div class="nhsuk-checkboxes__item">
        <input class="nhsuk-checkboxes__input" id={`${name}-${index}`} name="recordIds" type="checkbox" value={record.id} />
        <label class="nhsuk-label nhsuk-checkboxes__label" for={`${name}-${index}`}>
          {record.title} <span class="nhsuk-body-s">({[citationLine(record), note].filter(Boolean).join('; ')})</span>
        </label>
      </div>
    ))}
  </div>
);

export interface RecordsPageData {
  review: Review;
  canManage: boolean;
  /** One page of the review's records, in the review's order. */
  records: { record: EvidenceRecord; progress: RecordProgress }[];
  total: number;
  page: { number: number; size: number };
  openCandidates: number;
  library: { query: string; results: EvidenceRecord[] } | undefined;
  needMatches: { needId: string; records: { record: EvidenceRecord; note?: string }[] } | undefined;
}

export const ReviewRecordsPage = ({ context, data, form }: { context: PageContext; data: RecordsPageData; form: FormState }) => {
  const { review } = data;
  return (
    <ReviewFrame context={context} review={review} title="Records" hasErrors={Object.keys(form.errors).length > 0}>
      <ErrorSummary errors={form.errors} order={['file', 'format', 'source', 'query']} />
      <h1>Records</h1>
      <p id="records-total">
        {counted(data.total, 'record')} in this review.{' '}
        {data.openCandidates > 0 ? (
          <a href={`/reviews/${review.id}/duplicates`}>
            {data.openCandidates === 1 ? '1 possible duplicate to check' : `${data.openCandidates} possible duplicates to check`}
          </a>
        ) : (
          'No possible duplicates to check.'
        )}
      </p>
      {data.canManage ? (
        <>
          <h2 id="import-heading">Import a search</h2>
          <p>Records are de-duplicated against the review as they arrive. Each import is kept with its source, search and file hash.</p>
          <form method="post" action={`/reviews/${review.id}/import`} enctype="multipart/form-data" novalidate aria-labelledby="import-heading">
            <CsrfField token={context.csrfToken} />
            <TextInput name="file" label="File" type="file" state={form} />
            <Select name="format" label="Format" placeholder="Detect from the file" state={form} options={importFormats.map((format) => ({ value: format, label: formatLabels[format] }))} />
            <TextInput name="source" label="Source" hint="Where the search was run, for example MEDLINE via Ovid" state={form} />
            <TextInput name="query" label="Search string" hint="The search as run, kept with the import" state={form} />
            <SkipInvalidChoice form={form} />
            <Button>Import into the review</Button>
          </form>
          <h2 id="library-heading">Add from the evidence library</h2>
          <form method="get" action={`/reviews/${review.id}/records`} novalidate>
            <div class="nhsuk-form-group">
              <label class="nhsuk-label" for="q">
                Search the library
              </label>
              <input class="nhsuk-input" id="q" name="q" type="search" value={data.library?.query ?? ''} />
            </div>
            <Button secondary>Search</Button>
          </form>
          {data.library ? (
            data.library.results.length === 0 ? (
              <p>Nothing in the library matches.</p>
            ) : (
              <form method="post" action={`/reviews/${review.id}/add`} novalidate>
                <CsrfField token={context.csrfToken} />
                <input type="hidden" name="source" value="library" />
                <fieldset class="nhsuk-fieldset">
                  <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Library records matching “{data.library.query}”</legend>
                  <Pick records={data.library.results.map((record) => ({ record }))} name="library" />
                </fieldset>
                <Button secondary>Add the chosen records</Button>
              </form>
            )
          ) : null}
          {data.needMatches ? (
            <>
              <h2 id="need-heading">Add the need’s matched evidence</h2>
              {data.needMatches.records.length === 0 ? (
                <p>The need has no matched evidence yet.</p>
              ) : (
                <form method="post" action={`/reviews/${review.id}/add`} novalidate>
                  <CsrfField token={context.csrfToken} />
                  <input type="hidden" name="source" value="need_matches" />
                  <input type="hidden" name="needId" value={data.needMatches.needId} />
                  <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Pinned and best-matching records</legend>
                    <Pick records={data.needMatches.records} name="need" />
                  </fieldset>
                  <Button secondary>Add the chosen records</Button>
                </form>
              )}
            </>
          ) : null}
        </>
      ) : null}
      <h2>In this review</h2>
      {data.records.length === 0 ? (
        <p>No records yet.</p>
      ) : (
        <table class="nhsuk-table" id="review-records">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Records in this review</caption>
          <thead class="nhsuk-table__head">
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Title and abstract</th>
              <th scope="col">Full text</th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {data.records.map(({ record, progress }) => (
              <tr>
                <td>
                  <a href={`/evidence/records/${record.id}`}>{record.title}</a>
                  <br />
                  <span class="nhsuk-body-s">
                    {authorsSentence(record.authors)} {citationLine(record)} <DesignTag record={record} />
                  </span>
                </td>
                <td>{stateText(progress.titleAbstract)}</td>
                <td>{stateText(progress.fullText)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager total={data.total} page={data.page} hrefOf={(number) => `/reviews/${review.id}/records?page=${number}`} noun="Records" />
    </ReviewFrame>
  );
};

export const ReviewDuplicatesPage = ({
  context,
  review,
  candidates,
  canDecide,
  notice,
}: {
  context: PageContext;
  review: Review;
  candidates: DuplicateCandidate[];
  canDecide: boolean;
  /** Said above the list, e.g. when the pair just chosen had already been decided by someone else. */
  notice?: string | undefined;
}) => (
  <ReviewFrame context={context} review={review} title="Possible duplicates">
    <h1>Possible duplicates in this review</h1>
    {notice ? (
      <div class="nhsuk-inset-text" id="duplicates-notice">
        <p>{notice}</p>
      </div>
    ) : null}
    <p>
      Records with the same DOI or PMID, the same title, year and first author, or (without authors) the same whole citation were merged on import. These pairs are close but not certain.
    </p>
    {candidates.length === 0 ? <p id="no-candidates">No pairs left to decide.</p> : null}
    {candidates.map((candidate, index) => (
      <section class="app-candidate" aria-labelledby={`candidate-${candidate.id}`}>
        <h2 class="nhsuk-heading-m" id={`candidate-${candidate.id}`}>
          Pair {index + 1}: score {candidate.score.toFixed(2)}
        </h2>
        <div class="nhsuk-grid-row">
          {[candidate.left, candidate.right].map((record, side) => (
            <div class="nhsuk-grid-column-one-half">
              <div class="nhsuk-card">
                <div class="nhsuk-card__content">
                  <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{side === 0 ? 'First record' : 'Second record'}</p>
                  <h3 class="nhsuk-heading-s">{record.title}</h3>
                  <p class="nhsuk-body-s">
                    {authorsSentence(record.authors)} {citationLine(record)}
                  </p>
                  <p class="nhsuk-body-s">{record.abstract ? `${record.abstract.slice(0, 300)}${record.abstract.length > 300 ? '…' : ''}` : 'No abstract.'}</p>
                </div>
              </div>
            </div>
          ))}
        </div>
        {canDecide ? (
          <div class="app-candidate__actions">
            <form method="post" action={`/reviews/${review.id}/duplicates/${candidate.id}/merge`}>
              <CsrfField token={context.csrfToken} />
              <Button>Merge pair {index + 1}</Button>
            </form>
            <form method="post" action={`/reviews/${review.id}/duplicates/${candidate.id}/keep-apart`}>
              <CsrfField token={context.csrfToken} />
              <Button secondary>Keep pair {index + 1} apart</Button>
            </form>
          </div>
        ) : null}
      </section>
    ))}
  </ReviewFrame>
);
