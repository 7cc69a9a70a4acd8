import { roleLabels, type Role } from '../../../core/accounts/roles.js';
import type { PairAgreement } from '../../../core/reviews/agreement.js';
import type { ReviewSummary } from '../../../core/reviews/ports.js';
import type { StageCounts } from '../../../core/reviews/screening-state.js';
import type { ScreeningCurve } from '../../../core/reviews/screening-curve.js';
import type { StoppingGuidance } from '../../../core/screening/stopping.js';
import {
  frameworks,
  memberRoleLabels,
  memberRoles,
  modelLabels,
  reviewStatusLabels,
  reviewStatuses,
  stageLabels,
  type Review,
  type ReviewBatch,
  type Stage,
} from '../../../core/reviews/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextArea, TextInput, emptyForm, type FormState } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';
import type { BriefingSummary } from '../../../core/briefings/ports.js';
import { ReviewBriefings, ReviewFrame, Row } from './review-frame.js';

export const ReviewsListPage = ({ context, reviews, canCreate }: { context: PageContext; reviews: ReviewSummary[]; canCreate: boolean }) => (
  <Layout title="Reviews" context={context}>
    <h1>Rapid reviews</h1>
    {canCreate ? (
      <a class="nhsuk-button" href="/reviews/new">
        Start a review
      </a>
    ) : null}
    {reviews.length === 0 ? (
      <p>No reviews yet.</p>
    ) : (
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Reviews</caption>
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Review</th>
            <th scope="col">Status</th>
            <th scope="col" class="nhsuk-table__header--numeric">
              Records
            </th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {reviews.map((review) => (
            <tr>
              <td>
                <a href={`/reviews/${review.id}`}>
                  {review.reference}: {review.title}
                </a>
              </td>
              <td>{reviewStatusLabels[review.status]}</td>
              <td class="nhsuk-table__cell--numeric">{review.records}</td>
              <td>{formatDateTime(review.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);

/** The protocol as a form's values: lists one entry per line. */
export const protocolForm = (review: Review | undefined, values: Record<string, string> = {}): FormState =>
  emptyForm(
    review
      ? {
          title: review.title,
          question: review.question,
          framework: review.framework,
          ...Object.fromEntries(Object.entries(review.frameworkFields).map(([name, value]) => [`field.${name}`, value])),
          inclusionCriteria: review.inclusionCriteria,
          exclusionCriteria: review.exclusionCriteria,
          exclusionReasons: review.exclusionReasons.join('\n'),
          includeKeywords: review.includeKeywords.join('\n'),
          excludeKeywords: review.excludeKeywords.join('\n'),
          isDual: review.isDual ? 'true' : 'false',
          isBlind: review.isBlind ? 'true' : 'false',
          model: review.model,
          randomShare: String(Math.round(review.randomShare * 100)),
        }
      : { framework: 'pico', isDual: 'false', isBlind: 'true', model: 'nb', randomShare: '0', ...values },
  );

const protocolOrder = ['title', 'question', 'framework', 'inclusionCriteria', 'exclusionCriteria', 'exclusionReasons', 'includeKeywords', 'excludeKeywords', 'randomShare'];

/** Starting a review, or changing its protocol and screening settings. */
export const ProtocolPage = ({
  context,
  form,
  review,
  need,
  decisions = 0,
}: {
  context: PageContext;
  form: FormState;
  review?: Review;
  need?: { id: string; title: string } | undefined;
  /** Screening decisions made so far: changing single or dual screening then changes where records stand. */
  decisions?: number;
}) => {
  const body = (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={protocolOrder} />
        <h1>{review ? 'Protocol' : 'Start a review'}</h1>
        {need ? (
          <p>
            For the need <a href={`/needs/${need.id}`}>{need.title}</a>.
          </p>
        ) : null}
        <form method="post" action={review ? `/reviews/${review.id}/protocol` : '/reviews'} novalidate>
          <CsrfField token={context.csrfToken} />
          {need ? <input type="hidden" name="needId" value={need.id} /> : null}
          <TextInput name="title" label="Title" state={form} />
          <TextArea name="question" label="Review question" rows={3} state={form} />
          <Choices
            kind="radio"
            name="framework"
            label="Question framework"
            hint="Fill in the fields of the framework you choose; the others are ignored"
            state={form}
            options={Object.entries(frameworks).map(([value, framework]) => ({ value, label: framework.label, hint: Object.values(framework.fields).join(', ') }))}
          />
          {Object.entries(frameworks).map(([name, framework]) => (
            <fieldset class="nhsuk-fieldset app-framework-fields" data-framework={name}>
              <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{framework.label} fields</legend>
              {Object.entries(framework.fields).map(([field, label]) => (
                <TextInput
                  name={`${name}.${field}`}
                  label={label}
                  state={{
                    values: { [`${name}.${field}`]: form.values[`field.${field}`] ?? form.values[`${name}.${field}`] },
                    errors: form.errors[`${name}.${field}`] ? { [`${name}.${field}`]: form.errors[`${name}.${field}`] as string } : {},
                  }}
                />
              ))}
            </fieldset>
          ))}
          <TextArea name="inclusionCriteria" label="Inclusion criteria" rows={4} state={form} />
          <TextArea name="exclusionCriteria" label="Exclusion criteria" rows={4} state={form} />
          <TextArea name="exclusionReasons" label="Reasons for exclusion" hint="One per line, in the order screeners see them (keys 1 to 9 choose the first nine). Leave empty for the usual list." rows={6} state={form} />
          <TextArea name="includeKeywords" label="Words to highlight as signs of relevance" hint="One word or phrase per line; shown in green while screening" rows={3} state={form} />
          <TextArea name="excludeKeywords" label="Words to highlight as signs of irrelevance" hint="One word or phrase per line; shown in red while screening" rows={3} state={form} />
          <Choices
            kind="radio"
            name="isDual"
            label="Screening"
            hint={
              decisions > 0
                ? `Screening has started (${decisions} ${decisions === 1 ? 'decision' : 'decisions'}). Switching to single screening settles every record that has one decision with that decision; switching to dual sends those records back for a second screener.`
                : undefined
            }
            state={form}
            options={[
              { value: 'false', label: 'Single: one screener decides each record' },
              { value: 'true', label: 'Dual: two screeners decide each record independently; disagreements go to a third' },
            ]}
          />
          <Choices
            kind="radio"
            name="isBlind"
            label="Blinding"
            state={form}
            options={[
              { value: 'true', label: 'Blind: screeners do not see each other’s decisions' },
              { value: 'false', label: 'Open: screeners see each other’s decisions' },
            ]}
          />
          <Choices kind="radio" name="model" label="Ranking model" state={form} options={(['nb', 'logistic'] as const).map((value) => ({ value, label: modelLabels[value] }))} />
          <TextInput
            name="randomShare"
            label="Random picks (per cent)"
            hint="Records served at random instead of by rank, from 0 to 50, to check what the model may be missing"
            widthClass="nhsuk-input--width-3"
            state={form}
          />
          <Button>{review ? 'Save protocol' : 'Start review'}</Button>
        </form>
      </div>
    </div>
  );
  return review ? (
    <ReviewFrame context={context} review={review} title="Protocol" hasErrors={Object.keys(form.errors).length > 0}>
      {body}
    </ReviewFrame>
  ) : (
    <Layout title="Start a review" context={context} hasErrors={Object.keys(form.errors).length > 0}>
      {body}
    </Layout>
  );
};

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

const StageTable = ({ stage, counts }: { stage: Stage; counts: StageCounts }) => (
  <table class="nhsuk-table" id={`counts-${stage}`}>
    <caption class="nhsuk-table__caption nhsuk-table__caption--s">{stageLabels[stage]}</caption>
    <tbody class="nhsuk-table__body">
      <tr>
        <th scope="row">Records</th>
        <td class="nhsuk-table__cell--numeric">{counts.records}</td>
      </tr>
      <tr>
        <th scope="row">Still to screen</th>
        <td class="nhsuk-table__cell--numeric">{counts.toScreen}</td>
      </tr>
      <tr>
        <th scope="row">Conflicts</th>
        <td class="nhsuk-table__cell--numeric">{counts.conflicts}</td>
      </tr>
      <tr>
        <th scope="row">Included</th>
        <td class="nhsuk-table__cell--numeric">{counts.included}</td>
      </tr>
      <tr>
        <th scope="row">Excluded</th>
        <td class="nhsuk-table__cell--numeric">{counts.excluded}</td>
      </tr>
      {stage === 'full_text' ? (
        <tr>
          <th scope="row">Not retrieved</th>
          <td class="nhsuk-table__cell--numeric">{counts.notRetrieved}</td>
        </tr>
      ) : null}
    </tbody>
  </table>
);

const kappaWords = (kappa: number | undefined): string => {
  if (kappa === undefined) {
    return 'not defined (both made the same single choice)';
  }
  // Landis and Koch (1977).
  const words = kappa < 0 ? 'poor' : kappa <= 0.2 ? 'slight' : kappa <= 0.4 ? 'fair' : kappa <= 0.6 ? 'moderate' : kappa <= 0.8 ? 'substantial' : 'almost perfect';
  return `${kappa.toFixed(2)} (${words})`;
};

const AgreementTable = ({ stage, pairs }: { stage: Stage; pairs: PairAgreement[] }) =>
  pairs.length === 0 ? null : (
    <table class="nhsuk-table" id={`agreement-${stage}`}>
      <caption class="nhsuk-table__caption nhsuk-table__caption--s">Agreement between screeners: {stageLabels[stage].toLowerCase()}</caption>
      <thead class="nhsuk-table__head">
        <tr>
          <th scope="col">Screeners</th>
          <th scope="col" class="nhsuk-table__header--numeric">
            Records both screened
          </th>
          <th scope="col" class="nhsuk-table__header--numeric">
            Same decision
          </th>
          <th scope="col">Cohen’s kappa</th>
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {pairs.map((pair) => (
          <tr>
            <td>
              {pair.screeners[0].name} and {pair.screeners[1].name}
            </td>
            <td class="nhsuk-table__cell--numeric">{pair.records}</td>
            <td class="nhsuk-table__cell--numeric">{percent(pair.observed * pair.records, pair.records)}%</td>
            <td>{kappaWords(pair.kappa)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

export interface OverviewData {
  review: Review;
  stages: Record<Stage, StageCounts>;
  agreement: Record<Stage, PairAgreement[]>;
  batches: (ReviewBatch & { parsed: number })[];
  mergedAfterImport: number;
  canManage: boolean;
  canResolve: boolean;
  need: { id: string; title: string } | undefined;
  /** Briefings started from the review; undefined for those who may not read briefings. */
  briefings?: BriefingSummary[] | undefined;
  guidance: StoppingGuidance;
  curve: ScreeningCurve;
  /** The gain curve drawn (server-side SVG); undefined before the first decision. */
  curveSvg?: string | undefined;
}

/**
 * Beside the progress: the stopping guidance the screener sees, and the gain curve it reads (inclusions
 * found against records screened, with the knee method's line and knee), its numbers in a table below.
 */
const WhenToStop = ({ guidance, curve, svg }: { guidance: StoppingGuidance; curve: ScreeningCurve; svg: string | undefined }) =>
  curve.screened === 0 ? null : (
    <section aria-labelledby="when-to-stop-heading" id="when-to-stop">
      <h2 id="when-to-stop-heading">When to stop screening titles and abstracts</h2>
      <p>{guidance.explanation}</p>
      <p class="nhsuk-body-s">Guidance for the team, not a rule: it reads the order the model put the records in.</p>
      {svg ? <div class="app-table-scroll app-chart" dangerouslySetInnerHTML={{ __html: svg }} /> : null}
      <p class="nhsuk-body-s" id="screening-curve-description">
        {curve.description}
      </p>
      <details class="nhsuk-details">
        <summary class="nhsuk-details__summary">
          <span class="nhsuk-details__summary-text">The curve’s numbers</span>
        </summary>
        <div class="nhsuk-details__text">
          <table class="nhsuk-table" id="screening-curve-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Inclusions found as records were screened</caption>
            <thead class="nhsuk-table__head">
              <tr>
                <th scope="col" class="nhsuk-table__header--numeric">
                  Records screened
                </th>
                <th scope="col" class="nhsuk-table__header--numeric">
                  Inclusions found
                </th>
                <th scope="col" class="nhsuk-table__header--numeric">
                  Found in that stretch
                </th>
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {curve.rows.map((row) => (
                <tr>
                  <td class="nhsuk-table__cell--numeric">{row.screened}</td>
                  <td class="nhsuk-table__cell--numeric">{row.found}</td>
                  <td class="nhsuk-table__cell--numeric">{row.foundInStretch}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );

export const ReviewOverviewPage = ({ context, data }: { context: PageContext; data: OverviewData }) => {
  const { review, stages } = data;
  const fields = Object.entries(frameworks[review.framework].fields).filter(([name]) => (review.frameworkFields[name] ?? '').trim() !== '');
  return (
    <ReviewFrame context={context} review={review} title="Overview">
      <h1>{review.title}</h1>
      <dl class="nhsuk-summary-list">
        <Row label="Question">{review.question}</Row>
        {data.need ? (
          <Row label="For the need">
            <a href={`/needs/${data.need.id}`}>{data.need.title}</a>
          </Row>
        ) : null}
        {fields.map(([name, label]) => (
          <Row label={label}>{review.frameworkFields[name]}</Row>
        ))}
        <Row label="Inclusion criteria">{review.inclusionCriteria || 'None written yet'}</Row>
        <Row label="Exclusion criteria">{review.exclusionCriteria || 'None written yet'}</Row>
        <Row label="Screening">
          {review.isDual ? 'Dual' : 'Single'}, {review.isBlind ? 'blind' : 'open'}; ranked by {modelLabels[review.model]}
          {review.randomShare > 0 ? `, ${Math.round(review.randomShare * 100)}% random picks` : ''}
        </Row>
        <Row label="Team">
          <ul class="nhsuk-list">
            {review.members.map((member) => (
              <li>
                {member.name}: {memberRoleLabels[member.role].split(' (')[0]}
              </li>
            ))}
          </ul>
        </Row>
      </dl>
      {data.canManage ? (
        <p>
          <a href={`/reviews/${review.id}/protocol`}>Change the protocol</a> · <a href={`/reviews/${review.id}/team`}>Change the team</a>
        </p>
      ) : null}
      <h2>Progress</h2>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-one-half">
          <StageTable stage="title_abstract" counts={stages.title_abstract} />
          <a class="nhsuk-button" href={`/reviews/${review.id}/screen/title_abstract`}>
            Screen titles and abstracts
          </a>
        </div>
        <div class="nhsuk-grid-column-one-half">
          <StageTable stage="full_text" counts={stages.full_text} />
          <a class="nhsuk-button nhsuk-button--secondary" href={`/reviews/${review.id}/screen/full_text`}>
            Screen full texts
          </a>
        </div>
      </div>
      {stages.title_abstract.conflicts + stages.full_text.conflicts > 0 ? (
        <div class="nhsuk-inset-text">
          <p>
            <a href={`/reviews/${review.id}/conflicts`}>
              {stages.title_abstract.conflicts + stages.full_text.conflicts === 1 ? '1 conflict to resolve' : `${stages.title_abstract.conflicts + stages.full_text.conflicts} conflicts to resolve`}
            </a>
          </p>
        </div>
      ) : null}
      <WhenToStop guidance={data.guidance} curve={data.curve} svg={data.curveSvg} />
      <ReviewBriefings context={context} review={review} included={stages.full_text.included} briefings={data.briefings} />
      <AgreementTable stage="title_abstract" pairs={data.agreement.title_abstract} />
      <AgreementTable stage="full_text" pairs={data.agreement.full_text} />
      <h2>Searches imported</h2>
      {data.batches.length === 0 ? (
        <p>
          No records yet. <a href={`/reviews/${review.id}/records`}>Import a search</a>.
        </p>
      ) : (
        <table class="nhsuk-table" id="batches">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Import batches</caption>
          <thead class="nhsuk-table__head">
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Search</th>
              <th scope="col">Date</th>
              <th scope="col" class="nhsuk-table__header--numeric">
                Read
              </th>
              <th scope="col" class="nhsuk-table__header--numeric">
                New
              </th>
              <th scope="col" class="nhsuk-table__header--numeric">
                Duplicates
              </th>
              <th scope="col" class="nhsuk-table__header--numeric">
                Skipped as invalid
              </th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {data.batches.map((batch) => (
              <tr>
                <td>
                  {batch.sourceDatabase ?? 'Not named'}
                  <br />
                  <span class="nhsuk-body-s">
                    {batch.fileName} (SHA-256 <code>{batch.fileSha256.slice(0, 12)}…</code>)
                  </span>
                </td>
                <td>{batch.searchQuery ?? 'Not recorded'}</td>
                <td>{formatDateTime(batch.createdAt)}</td>
                <td class="nhsuk-table__cell--numeric">{batch.parsed}</td>
                <td class="nhsuk-table__cell--numeric">{batch.imported}</td>
                <td class="nhsuk-table__cell--numeric">{batch.duplicates}</td>
                <td class="nhsuk-table__cell--numeric">{batch.skipped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.canManage ? (
        <form method="post" action={`/reviews/${review.id}/status`} novalidate>
          <CsrfField token={context.csrfToken} />
          <Select name="status" label="Status" state={emptyForm({ status: review.status })} options={reviewStatuses.map((status) => ({ value: status, label: reviewStatusLabels[status] }))} />
          <Button secondary>Change status</Button>
        </form>
      ) : null}
    </ReviewFrame>
  );
};

export const TeamPage = ({ context, review, people, form }: { context: PageContext; review: Review; people: { id: string; name: string; role: string }[]; form: FormState }) => (
  <ReviewFrame context={context} review={review} title="Team" hasErrors={Object.keys(form.errors).length > 0}>
    <ErrorSummary errors={form.errors} />
    <h1>Team</h1>
    <p>Choose each person’s part in the review. Leads run the review; arbiters resolve conflicts between two screeners.</p>
    <form method="post" action={`/reviews/${review.id}/team`} novalidate>
      <CsrfField token={context.csrfToken} />
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Team members</caption>
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Part in this review</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {people.map((person) => {
            const current = review.members.find((member) => member.userId === person.id)?.role ?? '';
            return (
              <tr>
                <td>
                  <label for={`role-${person.id}`}>{person.name}</label>
                  <br />
                  <span class="nhsuk-body-s">{roleLabels[person.role as Role] ?? person.role}</span>
                </td>
                <td>
                  <select class="nhsuk-select" id={`role-${person.id}`} name={`role.${person.id}`}>
                    <option value="">Not on the review</option>
                    {memberRoles.map((role) => (
                      <option value={role} selected={role === current}>
                        {memberRoleLabels[role].split(' (')[0]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Button>Save team</Button>
    </form>
  </ReviewFrame>
);
