import { evidenceLevelLabels, studyDesignLabels } from '../../../core/evidence/classify.js';
import type { EvidenceRecord } from '../../../core/evidence/types.js';
import { citationOf, formatAnswer } from '../../../core/reviews/extraction.js';
import type { ExtractionField, ExtractionValue, Review } from '../../../core/reviews/types.js';
import type { PageContext } from '../../page-context.js';
import { BriefingFromReview, ReviewFrame } from './review-frame.js';

const Download = ({ href, label, children }: { href: string; label: string; children: string }) => (
  <div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">
      <a href={href} download>
        {label}
      </a>
    </dt>
    <dd class="nhsuk-summary-list__value">{children}</dd>
  </div>
);

/** Every output of the review, as downloads. */
export const ExportsPage = ({ context, review, included }: { context: PageContext; review: Review; included: number }) => {
  const base = `/reviews/${review.id}`;
  return (
    <ReviewFrame context={context} review={review} title="Exports">
      <h1>Exports</h1>
      <p>
        {included} {included === 1 ? 'record is' : 'records are'} included after full-text screening. CSV files are UTF-8 with a byte-order mark, so that spreadsheets read
        accented names correctly.
      </p>
      <h2>Included records</h2>
      <dl class="nhsuk-summary-list" id="exports-included">
        <Download href={`${base}/exports/included.ris`} label="Included records (RIS)">
          For reference managers: EndNote, Zotero, Mendeley, RefWorks.
        </Download>
        <Download href={`${base}/exports/included.csv`} label="Included records (CSV)">
          One row per record, with ASReview’s column names.
        </Download>
      </dl>
      <h2>Decision log</h2>
      <dl class="nhsuk-summary-list" id="exports-log">
        <Download href={`${base}/exports/decisions.csv`} label="Every screening decision (CSV)">
          Every decision at both stages, including those later changed (status “retired”), with the screener, the reason, the time (ISO 8601, UTC), and the model
          version and rank that put the record in front of the screener; conflict resolutions are rows too (entry “resolution”, the screener being the person who
          resolved it). With the import batches on the overview, it lets anyone replay the review.
        </Download>
      </dl>
      <h2>Data extraction</h2>
      <dl class="nhsuk-summary-list" id="exports-extraction">
        <Download href={`${base}/exports/extraction.csv`} label="Extracted data (CSV)">
          One row per included record: its id and citation fields, then one column per field of the extraction form. A table field is written row by row, as
          “Column 1: a; Column 2: b | Column 1: c; Column 2: d” (a backslash marks a “;”, “|” or “\” that is part of a cell).
        </Download>
        <Download href={`${base}/exports/evidence-table.csv`} label="Evidence table (CSV)">
          The included studies with their citation, year, study design and evidence level, then the extracted data.
        </Download>
      </dl>
      <p>
        <a href={`${base}/exports/evidence-table`}>View the evidence table</a> · <a href={`${base}/prisma`}>PRISMA flow diagram</a>
      </p>
      <BriefingFromReview context={context} review={review} included={included} heading />
    </ReviewFrame>
  );
};

export interface EvidenceTableData {
  review: Review;
  fields: ExtractionField[];
  rows: { record: EvidenceRecord; values: ReadonlyMap<string, ExtractionValue> }[];
}

/** The evidence table of included studies, as a page (the same columns as its CSV). */
export const EvidenceTablePage = ({ context, data }: { context: PageContext; data: EvidenceTableData }) => {
  const { review, fields, rows } = data;
  return (
    <ReviewFrame context={context} review={review} title="Evidence table">
      <h1>Evidence table</h1>
      <p>
        <a href={`/reviews/${review.id}/exports/evidence-table.csv`} download>
          Download the evidence table (CSV)
        </a>
      </p>
      {rows.length === 0 ? (
        <p id="no-included">No records have been included at full text yet.</p>
      ) : (
        <div class="app-table-scroll" role="region" aria-labelledby="evidence-table-caption" tabindex={0}>
          <table class="nhsuk-table" id="evidence-table">
            <caption class="nhsuk-table__caption" id="evidence-table-caption">
              Included studies ({rows.length})
            </caption>
            <thead class="nhsuk-table__head">
              <tr>
                <th scope="col">Citation</th>
                <th scope="col">Year</th>
                <th scope="col">Study design</th>
                <th scope="col">Evidence level</th>
                {fields.map((field) => (
                  <th scope="col">{field.label}</th>
                ))}
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {rows.map(({ record, values }) => (
                <tr>
                  <th scope="row" class="app-evidence-citation">
                    <a href={`/evidence/records/${record.id}`}>{citationOf(record)}</a>
                  </th>
                  <td>{record.year ?? ''}</td>
                  <td>{studyDesignLabels[record.studyDesign]}</td>
                  <td>{record.evidenceLevel ? (evidenceLevelLabels[record.evidenceLevel] ?? String(record.evidenceLevel)) : 'Not graded'}</td>
                  {fields.map((field) => (
                    <td>{formatAnswer(field, values.get(field.id))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ReviewFrame>
  );
};
