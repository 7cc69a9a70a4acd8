import type { EvidenceRecord } from '../../../core/evidence/types.js';
import { answerKey, extractionKindLabels, extractionStatusLabels, formatAnswer, type CheckState, type ExtractionStatus } from '../../../core/reviews/extraction.js';
import type { ExtractionField, ExtractionValue, Review } from '../../../core/reviews/types.js';
import type { FieldErrors } from '../../../core/shared/errors.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextArea, TextInput, textValue, type FormState } from '../../components/form.js';
import { DesignTag, authorsSentence, citationLine } from '../../components/record-parts.js';
import { formatDateTime } from '../../format.js';
import type { PageContext } from '../../page-context.js';
import { ReviewFrame, Row } from './review-frame.js';

const statusTag: Record<ExtractionStatus, string> = { not_started: 'nhsuk-tag--grey', in_progress: 'nhsuk-tag--yellow', complete: 'nhsuk-tag--aqua-green', checked: 'nhsuk-tag--green' };

export interface ExtractionRecordsData {
  review: Review;
  fields: ExtractionField[];
  canManage: boolean;
  canFill: boolean;
  records: { record: EvidenceRecord; answered: number; missingRequired: number; status: ExtractionStatus; check: CheckState | undefined }[];
}

/** Who checked the answers, or who checked an earlier version of them. */
const checkSentence = (check: CheckState): string =>
  check.isCurrent
    ? `Checked by ${check.checkedByName}, ${formatDateTime(check.checkedAt)}.`
    : `${check.checkedByName} checked an earlier version of these answers (${formatDateTime(check.checkedAt)}); they were saved again since, so they need checking again.`;

/** The included records, each with how complete its extraction is, and the way to the form builder. */
export const ExtractionRecordsPage = ({ context, data }: { context: PageContext; data: ExtractionRecordsData }) => {
  const { review, fields, records } = data;
  return (
    <ReviewFrame context={context} review={review} title="Data extraction">
      <h1>Data extraction</h1>
      {fields.length === 0 ? (
        <div class="nhsuk-inset-text">
          <p>
            There is no extraction form yet.{' '}
            {data.canManage ? <a href={`/reviews/${review.id}/extraction/form`}>Build the form</a> : 'A review lead builds it.'}
          </p>
        </div>
      ) : (
        <p>
          The form has {fields.length} {fields.length === 1 ? 'field' : 'fields'} ({fields.filter((field) => field.isRequired).length} required).{' '}
          {data.canManage ? <a href={`/reviews/${review.id}/extraction/form`}>Change the form</a> : null}
        </p>
      )}
      {records.length === 0 ? (
        <p id="no-included">No records have been included at full text yet.</p>
      ) : (
        <table class="nhsuk-table" id="extraction-records">
          <caption class="nhsuk-table__caption nhsuk-table__caption--s">Included records ({records.length})</caption>
          <thead class="nhsuk-table__head">
            <tr>
              <th scope="col">Record</th>
              <th scope="col" class="nhsuk-table__header--numeric">
                Fields answered
              </th>
              <th scope="col">Extraction</th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {records.map(({ record, answered, missingRequired, status, check }) => (
              <tr id={`record-${record.id}`}>
                <td>
                  <a href={`/reviews/${review.id}/extraction/records/${record.id}`}>{record.title}</a>
                  <br />
                  <span class="nhsuk-body-s">
                    {authorsSentence(record.authors)} {citationLine(record)}
                  </span>
                </td>
                <td class="nhsuk-table__cell--numeric">
                  {answered} of {fields.length}
                </td>
                <td>
                  <strong class={`nhsuk-tag ${statusTag[status]}`}>{extractionStatusLabels[status]}</strong>
                  {missingRequired > 0 && status !== 'not_started' ? <span class="nhsuk-body-s"> {missingRequired} required still to answer</span> : null}
                  {check ? (
                    <>
                      <br />
                      <span class="nhsuk-body-s">{check.isCurrent ? `Checked by ${check.checkedByName}` : `Changed since ${check.checkedByName} checked it`}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/reviews/${review.id}/exports/extraction.csv`} download>
          Download the extracted data (CSV)
        </a>{' '}
        · <a href={`/reviews/${review.id}/exports/evidence-table`}>Evidence table</a>
      </p>
    </ReviewFrame>
  );
};

/** One field of the form builder, as the form holds it (lists as text, one entry per line). */
export interface BuilderRow {
  id: string;
  label: string;
  kind: string;
  choices: string;
  columns: string;
  isRequired: boolean;
}

export const builderRows = (fields: readonly ExtractionField[]): BuilderRow[] =>
  fields.map((field) => ({ id: field.id, label: field.label, kind: field.kind, choices: field.choices.join('\n'), columns: field.columns.join('\n'), isRequired: field.isRequired }));

const builderState = (rows: readonly BuilderRow[], errors: FieldErrors): FormState => ({
  values: Object.fromEntries(
    rows.flatMap((row, index) => [
      [`fields.${index}.label`, row.label],
      [`fields.${index}.kind`, row.kind],
      [`fields.${index}.choices`, row.choices],
      [`fields.${index}.columns`, row.columns],
      [`fields.${index}.isRequired`, row.isRequired ? 'true' : ''],
      [`fields.${index}.order`, String(index + 1)],
    ]),
  ),
  errors,
});

const kindOptions = Object.entries(extractionKindLabels).map(([value, label]) => ({ value, label }));

const BuilderField = ({ index, row, state, isNew }: { index: number; row: BuilderRow; state: FormState; isNew: boolean }) => {
  const name = (part: string) => `fields.${index}.${part}`;
  return (
    <fieldset class="nhsuk-fieldset app-builder-field" id={`field-${index + 1}`}>
      <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">{isNew ? 'Add a field' : `Field ${index + 1}${row.label.trim() ? `: ${row.label}` : ''}`}</legend>
      {isNew ? <p class="nhsuk-hint">Leave the label empty to add nothing.</p> : <input type="hidden" name={name('id')} value={row.id} />}
      <TextInput name={name('label')} label="Label" state={state} />
      <Select name={name('kind')} label="Kind of answer" state={state} options={kindOptions} />
      <Choices kind="checkbox" name={name('isRequired')} label="Required" small state={state} options={[{ value: 'true', label: 'Every included record must have an answer' }]} />
      <TextArea name={name('choices')} label="Choices" hint="For a choice field: one option per line" rows={3} state={state} />
      <TextArea name={name('columns')} label="Table columns" hint="For a table field: one column heading per line" rows={3} state={state} />
      <TextInput name={name('order')} label="Position" hint="Fields are shown in the order of these numbers: change them to reorder the form" widthClass="nhsuk-input--width-3" state={state} />
      {isNew ? null : (
        <Choices kind="checkbox" name={name('remove')} label="Remove" small state={state} options={[{ value: 'true', label: 'Remove this field and every answer to it' }]} />
      )}
    </fieldset>
  );
};

/** The form builder: every field editable at once, plus one blank field to add; works without JavaScript. */
export const ExtractionFormPage = ({ context, review, rows, errors }: { context: PageContext; review: Review; rows: BuilderRow[]; errors: FieldErrors }) => {
  const all = [...rows, { id: '', label: '', kind: 'text', choices: '', columns: '', isRequired: false }];
  const state = builderState(all, errors);
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <ReviewFrame context={context} review={review} title="Extraction form" hasErrors={hasErrors}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1>Extraction form</h1>
          <p>The questions the team answers for each included record. Text, number and choice fields take one answer; a table field takes rows under the columns you name.</p>
          <form method="post" action={`/reviews/${review.id}/extraction/form`} novalidate>
            <CsrfField token={context.csrfToken} />
            {all.map((row, index) => (
              <BuilderField index={index} row={row} state={state} isNew={index === rows.length} />
            ))}
            <Button>Save form</Button>
          </form>
          <p>
            <a href={`/reviews/${review.id}/extraction`}>Back to the included records</a>
          </p>
        </div>
      </div>
    </ReviewFrame>
  );
};

/** A record's stored answers as the form's values: each table cell under its own name. */
export const answerValues = (fields: readonly ExtractionField[], values: ReadonlyMap<string, ExtractionValue>): FormState['values'] =>
  Object.fromEntries(
    fields.flatMap((field) => {
      const value = values.get(field.id);
      const key = answerKey(field.id);
      if (field.kind === 'table') {
        return Array.isArray(value) ? value.flatMap((row, rowIndex) => row.map((cell, column) => [`${key}.${rowIndex}.${column}`, cell] as const)) : [];
      }
      return value === undefined ? [] : [[key, Array.isArray(value) ? formatAnswer(field, value) : String(value)] as const];
    }),
  );

/** Rows a table field shows: those typed so far, then two blank ones (three when there are none). */
const tableRows = (state: FormState, key: string): number => {
  let filled = 0;
  for (const name of Object.keys(state.values)) {
    const match = name.startsWith(`${key}.`) ? /^(\d+)\.\d+$/.exec(name.slice(key.length + 1)) : null;
    if (match && textValue(state, name).trim() !== '') {
      filled = Math.max(filled, Number(match[1]) + 1);
    }
  }
  return filled === 0 ? 3 : filled + 2;
};

const TableField = ({ field, state }: { field: ExtractionField; state: FormState }) => {
  const key = answerKey(field.id);
  const error = state.errors[key];
  const rows = tableRows(state, key);
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset class="nhsuk-fieldset" aria-describedby={error ? `${key}-error` : `${key}-hint`}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
          {field.label}
          {field.isRequired ? '' : ' (optional)'}
        </legend>
        <div class="nhsuk-hint" id={`${key}-hint`}>
          One row per line of the table; empty rows are ignored. Save to get more rows.
        </div>
        {error ? (
          <span class="nhsuk-error-message" id={`${key}-error`}>
            <span class="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <table class="nhsuk-table app-extraction-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{field.label}</caption>
          <thead class="nhsuk-table__head">
            <tr>
              <th scope="col">Row</th>
              {field.columns.map((column) => (
                <th scope="col">{column}</th>
              ))}
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {Array.from({ length: rows }, (_, row) => (
              <tr>
                <th scope="row">{row + 1}</th>
                {field.columns.map((column, index) => {
                  const name = `${key}.${row}.${index}`;
                  const id = row === 0 && index === 0 ? key : name;
                  return (
                    <td>
                      <label class="nhsuk-u-visually-hidden" for={id}>
                        {column}, row {row + 1}
                      </label>
                      <input class={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`} id={id} name={name} type="text" value={textValue(state, name)} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
    </div>
  );
};

const AnswerField = ({ field, state }: { field: ExtractionField; state: FormState }) => {
  const key = answerKey(field.id);
  const label = `${field.label}${field.isRequired ? '' : ' (optional)'}`;
  switch (field.kind) {
    case 'text':
      return <TextArea name={key} label={label} rows={3} state={state} />;
    case 'number':
      return <TextInput name={key} label={label} hint="A number, like 120 or 3.5" widthClass="nhsuk-input--width-10" state={state} />;
    case 'choice':
      return (
        <Choices
          kind="radio"
          name={key}
          label={label}
          state={state}
          options={[...field.choices.map((choice) => ({ value: choice, label: choice })), ...(field.isRequired ? [] : [{ value: '', label: 'Not answered' }])]}
        />
      );
    case 'table':
      return <TableField field={field} state={state} />;
  }
};

export interface ExtractionRecordData {
  review: Review;
  record: EvidenceRecord;
  fields: ExtractionField[];
  values: ReadonlyMap<string, ExtractionValue>;
  /** What the saved answers were when the form was opened (kept when a save is refused as invalid); sent back so a save cannot overwrite someone else's unseen. */
  basis: string;
  /** The saved answers' own fingerprint: what a check is of. */
  savedBasis: string;
  canFill: boolean;
  status: ExtractionStatus;
  check: CheckState | undefined;
  canCheck: boolean;
  whyNotCheck: string | undefined;
  /** Why marking the answers as checked was refused (they were saved again meanwhile). */
  checkError?: string | undefined;
}

/**
 * Below the answers: who checked them, and for a second member of the team, the way to mark them as
 * checked (rapid reviews: one person extracts, another checks for correctness and completeness).
 */
const CheckSection = ({ context, data }: { context: PageContext; data: ExtractionRecordData }) => (
  <section aria-labelledby="check-heading" id="extraction-check">
    <h2 id="check-heading" class="nhsuk-heading-m">
      Check
    </h2>
    {data.checkError ? (
      <div class="nhsuk-warning-callout" id="check-error">
        <h3 class="nhsuk-warning-callout__label">
          <span role="text">
            <span class="nhsuk-u-visually-hidden">Important: </span>Not marked as checked
          </span>
        </h3>
        <p>{data.checkError}.</p>
      </div>
    ) : null}
    {data.check ? <p id="check-status">{checkSentence(data.check)}</p> : <p id="check-status">Not checked yet.</p>}
    {data.canCheck ? (
      <form method="post" action={`/reviews/${data.review.id}/extraction/records/${data.record.id}/check`} novalidate>
        <CsrfField token={context.csrfToken} />
        <input type="hidden" name="basis" value={data.savedBasis} />
        <p class="nhsuk-body-s">Read the saved answers against the full text. If they are correct and complete, mark them as checked.</p>
        <Button secondary>Mark the answers as checked</Button>
      </form>
    ) : data.whyNotCheck && data.canFill && data.status !== 'checked' ? (
      <p class="nhsuk-body-s" id="check-hint">
        {data.whyNotCheck}.
      </p>
    ) : null}
  </section>
);

/** One included record's extraction: the form for the team, the answers for anyone else who may see the review. */
export const ExtractionRecordPage = ({ context, data, form }: { context: PageContext; data: ExtractionRecordData; form: FormState }) => {
  const { review, record, fields } = data;
  const hasErrors = Object.keys(form.errors).length > 0;
  return (
    <ReviewFrame context={context} review={review} title={`Extraction: ${record.title}`} hasErrors={hasErrors}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={form.errors} order={fields.map((field) => answerKey(field.id))} />
          <span class="nhsuk-caption-m">Data extraction</span>
          <h1 class="nhsuk-heading-l">{record.title}</h1>
          <p class="nhsuk-body-s">
            {authorsSentence(record.authors)} {citationLine(record)} <DesignTag record={record} />
            {record.doi ? <span class="nhsuk-u-margin-left-2">DOI {record.doi}</span> : null}
          </p>
          {fields.length === 0 ? (
            <p>There is no extraction form yet.</p>
          ) : data.canFill ? (
            <form method="post" action={`/reviews/${review.id}/extraction/records/${record.id}`} novalidate>
              <CsrfField token={context.csrfToken} />
              <input type="hidden" name="basis" value={data.basis} />
              {form.errors._form ? (
                <div class="nhsuk-warning-callout" id="_form">
                  <h2 class="nhsuk-warning-callout__label">
                    <span role="text">
                      <span class="nhsuk-u-visually-hidden">Important: </span>Not saved
                    </span>
                  </h2>
                  <p>{form.errors._form}</p>
                </div>
              ) : null}
              {fields.map((field) => (
                <AnswerField field={field} state={form} />
              ))}
              <Button>Save answers</Button>
            </form>
          ) : (
            <dl class="nhsuk-summary-list" id="answers">
              {fields.map((field) => (
                <Row label={field.label}>{formatAnswer(field, data.values.get(field.id)) || 'Not answered'}</Row>
              ))}
            </dl>
          )}
          {fields.length > 0 ? <CheckSection context={context} data={data} /> : null}
          <p>
            <a href={`/reviews/${review.id}/extraction#record-${record.id}`}>Back to the included records</a>
          </p>
        </div>
      </div>
    </ReviewFrame>
  );
};
