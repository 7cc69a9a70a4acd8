import { impactKindHints, impactKindLabels, impactKinds, impactUseLabels, impactUses, type ImpactKind, type ImpactRecord } from '../../../core/impact/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextArea, type FormState, type Option } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const after = (months: number) => `${months} month${months === 1 ? '' : 's'}`;

/** The kinds of one record, as checkboxes with ids of their own (several records share the page). */
const KindsForm = ({ context, record }: { context: PageContext; record: ImpactRecord }) => {
  const base = `kinds-${record.id}`;
  return (
    <form method="post" action={`/impact/${record.id}/kinds`}>
      <CsrfField token={context.csrfToken} />
      <div class="nhsuk-form-group">
        <fieldset class="nhsuk-fieldset">
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
            Kinds of impact<span class="nhsuk-u-visually-hidden"> for this record of {record.need.reference}</span>
          </legend>
          <div class="nhsuk-checkboxes nhsuk-checkboxes--small" data-module="nhsuk-checkboxes">
            {impactKinds.map((kind, index) => (
              <div class="nhsuk-checkboxes__item">
                <input class="nhsuk-checkboxes__input" id={`${base}-${index + 1}`} name="kinds" type="checkbox" value={kind} checked={record.kinds.includes(kind)} aria-describedby={`${base}-${index + 1}-hint`} />
                <label class="nhsuk-label nhsuk-checkboxes__label" for={`${base}-${index + 1}`}>
                  {impactKindLabels[kind]}
                </label>
                <div class="nhsuk-hint nhsuk-checkboxes__hint" id={`${base}-${index + 1}-hint`}>
                  {impactKindHints[kind]}
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">
        Save kinds<span class="nhsuk-u-visually-hidden"> for this record of {record.need.reference}</span>
      </button>
    </form>
  );
};

const KindTags = ({ kinds }: { kinds: ImpactKind[] }) =>
  kinds.length === 0 ? (
    <strong class="nhsuk-tag nhsuk-tag--grey">No impact</strong>
  ) : (
    <>
      {kinds.map((kind) => (
        <strong class="nhsuk-tag nhsuk-tag--blue nhsuk-u-margin-right-2">{impactKindLabels[kind]}</strong>
      ))}
    </>
  );

/** Impact records, newest first: what each says, and its kinds for a fellow to reclassify. */
export const ImpactPage = ({ context, records, total, filters }: { context: PageContext; records: ImpactRecord[]; total: number; filters: FormState }) => (
  <Layout title="Impact" context={context}>
    <h1>Impact</h1>
    <p>
      What difference the work made: requesters’ answers to <a href="/followups">follow-ups</a>, and impact fellows have logged. The kinds of impact are mapped
      from each answer; change them where your reading differs.
    </p>
    <p>
      <a class="nhsuk-button nhsuk-button--secondary" href="/impact/new" role="button" draggable="false" data-module="nhsuk-button">
        Log impact by hand
      </a>
    </p>
    <form method="get" action="/impact" class="app-filters" aria-label="Filter impact records">
      <Select name="kind" label="Kind of impact" placeholder="Any kind" state={filters} options={impactKinds.map((value) => ({ value, label: impactKindLabels[value] }))} />
      <Button secondary>Filter</Button>
    </form>
    <p class="nhsuk-body-s" id="impact-count">
      {total === 1 ? '1 impact record' : `${total} impact records`}, newest first
    </p>
    {records.length === 0 ? (
      <p>No impact recorded yet.</p>
    ) : (
      <ul class="nhsuk-list" id="impact-records">
        {records.map((record) => (
          <li class="nhsuk-card" id={`impact-${record.id}`}>
            <div class="nhsuk-card__content">
              <h2 class="nhsuk-card__heading nhsuk-heading-s">
                <a href={`/needs/${record.need.id}`}>{record.need.reference}</a>: {record.need.title}
              </h2>
              <p class="nhsuk-body-s">
                {record.followup ? `Answer to the ${after(record.followup.months)} follow-up` : `Logged by ${record.recordedBy?.name ?? 'a fellow'}`}, {formatDateTime(record.createdAt)}
                {record.briefing ? `. Output ${record.briefing.reference}: ${record.briefing.title}` : ''}
              </p>
              <p>
                <KindTags kinds={record.kinds} />
              </p>
              <ul class="nhsuk-list nhsuk-list--bullet">
                {record.uses.map((use) => (
                  <li>{impactUseLabels[use]}</li>
                ))}
              </ul>
              {record.detail ? <p class="app-thread__body">{record.detail}</p> : null}
              {record.notUsedReason ? <p class="app-thread__body">Why not used: {record.notUsedReason}</p> : null}
              {record.fellows.length > 0 ? <p class="nhsuk-body-s">Fellows: {record.fellows.map((fellow) => fellow.name).join(', ')}</p> : null}
              <KindsForm context={context} record={record} />
            </div>
          </li>
        ))}
      </ul>
    )}
  </Layout>
);

/** A fellow logs impact heard some other way: a conversation, an email, a board paper. */
export const ImpactFormPage = ({ context, form, needs }: { context: PageContext; form: FormState; needs: Option[] }) => (
  <Layout title="Log impact" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={['needId', 'uses', 'kinds', 'detail', 'notUsedReason']} />
        <h1>Log impact</h1>
        <p>Record what difference a need’s work made, as you heard it. It is credited to the need’s fellows and to you.</p>
        <form method="post" action="/impact" novalidate>
          <CsrfField token={context.csrfToken} />
          <Select name="needId" label="Need" placeholder="Choose a need" state={form} options={needs} />
          <Choices kind="checkbox" name="uses" label="How was it used?" hint="Choose all that apply." state={form} options={impactUses.map((value) => ({ value, label: impactUseLabels[value] }))} />
          <Choices
            kind="checkbox"
            name="kinds"
            label="Kinds of impact"
            hint="Choose all that the evidence shows."
            state={form}
            options={impactKinds.map((value) => ({ value, label: impactKindLabels[value], hint: impactKindHints[value] }))}
          />
          <TextArea name="detail" label="What happened?" hint="Who said what, and when; the decision or change, if any." state={form} rows={4} />
          <TextArea name="notUsedReason" label="If it was not used, why not?" state={form} rows={3} />
          <Button>Log impact</Button>
        </form>
      </div>
    </div>
  </Layout>
);
