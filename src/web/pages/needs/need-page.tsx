import { briefingStatusLabels, type BriefingStatus } from '../../../core/briefings/types.js';
import { isStaff } from '../../../core/accounts/roles.js';
import { nextStatuses } from '../../../core/needs/status.js';
import {
  audienceLabels,
  needStatusLabels,
  serviceTierLabels,
  serviceTiers,
  supportKindLabels,
  supportKinds,
  urgencyLabels,
  type Comment,
  type Need,
  type NeedEvent,
} from '../../../core/needs/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextArea, emptyForm, type FormState } from '../../components/form.js';
import { CommentItem, HistoryItem, StatusTag, fellowNames } from '../../components/need-parts.js';
import { formatDate, formatDateTime } from '../../format.js';
import { SearchResults, type SearchHitView } from '../search/search-page.js';
import { relatedCountSentence, relatedWordsOf } from '../../../core/evidence/widened-search.js';
import { RecordSummary } from '../../components/record-parts.js';
import type { EvidenceRecord } from '../../../core/evidence/types.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export type NeedPageForm = 'accept' | 'decline' | 'merge' | 'status' | 'assign' | 'comment';

export interface NeedPageProps {
  context: PageContext;
  need: Need;
  comments: Comment[];
  history: NeedEvent[];
  canComment: boolean;
  canEdit?: boolean;
  /** For staff: who can be assigned and which needs this one could be merged into. */
  staff?:
    | {
        fellows: { id: string; name: string }[]; mergeTargets: Need[]; reviews?: { id: string; reference: string; title: string }[];
        briefings?: { id: string; reference: string; title: string; status: BriefingStatus }[];
      }
    | undefined;
  forms?: Partial<Record<NeedPageForm, FormState>>;
  /** Matched evidence, pinned evidence and similar needs (issue #4). */
  matching?: {
    hits: (SearchHitView & { isPinned: boolean })[];
    /** Records the need's search found, with the related ones its widening added (as on the search page). */
    total: number;
    /** Of `total`, the records holding the need's own words. */
    matching: number;
    /** The words the need's search was widened with. */
    expandedWith: string[];
    query: string;
    pinned: { record: EvidenceRecord; pinnedBy: { name: string }; pinnedAt: Date; note: string }[];
    similar: Need[];
    people: { id: string; name: string; jobTitle: string | undefined; matched: string[] }[];
    /** The need's theme the matched evidence is narrowed to, if any. */
    themeFilter?: { id: string; name: string } | undefined;
  };
}

const Row = ({ label, value }: { label: string; value: string | undefined }) =>
  value ? (
    <div class="nhsuk-summary-list__row">
      <dt class="nhsuk-summary-list__key">{label}</dt>
      <dd class="nhsuk-summary-list__value">{value}</dd>
    </div>
  ) : null;

const NeedSummary = ({ need }: { need: Need }) => (
  <dl class="nhsuk-summary-list">
    <Row label="Question" value={need.question} />
    <Row label="Decision it will inform" value={need.decision} />
    <Row label="Who decides" value={need.decisionMaker} />
    <Row label="Population" value={need.population} />
    <Row label="Setting" value={need.setting} />
    <Row label="Tried so far" value={need.triedSoFar} />
    <Row label="Deadline" value={formatDate(need.deadlineOn)} />
    <Row label="Urgency" value={urgencyLabels[need.urgency]} />
    <Row label="Answer for" value={need.audiences.map((audience) => audienceLabels[audience]).join(', ')} />
    <Row label="Organisation" value={need.organisationName} />
    <Row label="Requester" value={need.requester?.name} />
    <Row label="Themes" value={need.themes.map((theme) => theme.name).join(', ')} />
    <Row label="Visibility" value={need.isPublic ? 'Everyone using Mobilise' : 'The requesting organisation and the ARC team'} />
    <Row label="Shared with other ARCs" value={need.shareWithArcs ? 'Yes' : 'No'} />
    <Row label="Service tier" value={need.tier ? serviceTierLabels[need.tier] : undefined} />
    <Row label="Support" value={need.supportKinds.map((kind) => supportKindLabels[kind]).join(', ')} />
    <Row label="Fellows" value={need.fellows.map((fellow) => fellow.name).join(', ')} />
    <Row label="Reason declined" value={need.declineReason} />
  </dl>
);

const TriageForms = ({ context, need, staff, forms }: Required<Pick<NeedPageProps, 'staff'>> & Omit<NeedPageProps, 'staff' | 'comments' | 'history' | 'canComment'>) => {
  if (!staff) {
    return null;
  }
  const action = `/needs/${need.id}/triage`;
  const fellowOptions = staff.fellows.map((fellow) => ({ value: fellow.id, label: fellow.name }));
  return (
    <section aria-labelledby="triage-heading">
      <h2 id="triage-heading">Triage</h2>
      <details class="nhsuk-details" open>
        <summary class="nhsuk-details__summary">
          <span class="nhsuk-details__summary-text">Accept this need</span>
        </summary>
        <div class="nhsuk-details__text">
          <form method="post" action={action} novalidate>
            <CsrfField token={context.csrfToken} />
            <input type="hidden" name="action" value="accept" />
            <Choices kind="radio" name="tier" label="Service tier" state={forms?.accept ?? emptyForm()} options={serviceTiers.map((value) => ({ value, label: serviceTierLabels[value] }))} />
            <Choices kind="checkbox" name="supportKinds" label="Kinds of support" state={forms?.accept ?? emptyForm()} options={supportKinds.map((value) => ({ value, label: supportKindLabels[value] }))} />
            <Choices kind="checkbox" name="fellowIds" label="Assign fellows" state={forms?.accept ?? emptyForm({ fellowIds: [context.actor?.userId ?? ''] })} options={fellowOptions} />
            <Button>Accept need</Button>
          </form>
        </div>
      </details>
      <details class="nhsuk-details">
        <summary class="nhsuk-details__summary">
          <span class="nhsuk-details__summary-text">Decline this need</span>
        </summary>
        <div class="nhsuk-details__text">
          <form method="post" action={action} novalidate>
            <CsrfField token={context.csrfToken} />
            <input type="hidden" name="action" value="decline" />
            <TextArea name="reason" label="Reason, shown to the requester" rows={3} state={forms?.decline ?? emptyForm()} />
            <Button secondary>Decline need</Button>
          </form>
        </div>
      </details>
      <details class="nhsuk-details">
        <summary class="nhsuk-details__summary">
          <span class="nhsuk-details__summary-text">Merge into a duplicate</span>
        </summary>
        <div class="nhsuk-details__text">
          <form method="post" action={action} novalidate>
            <CsrfField token={context.csrfToken} />
            <input type="hidden" name="action" value="merge" />
            <Select
              name="targetId"
              label="The need this one duplicates"
              placeholder="Choose a need"
              state={forms?.merge ?? emptyForm()}
              options={staff.mergeTargets.map((target) => ({ value: target.id, label: `${target.reference}: ${target.title}` }))}
            />
            <Button secondary>Merge need</Button>
          </form>
        </div>
      </details>
    </section>
  );
};

const WorkForms = ({ context, need, staff, forms }: Omit<NeedPageProps, 'comments' | 'history' | 'canComment'>) => {
  if (!staff) {
    return null;
  }
  const moves = nextStatuses(need.status).filter((status) => status !== 'triaged');
  const unassigned = staff.fellows.filter((fellow) => !need.fellows.some((assigned) => assigned.id === fellow.id));
  return (
    <section aria-labelledby="work-heading">
      <h2 id="work-heading">Work on this need</h2>
      {moves.length > 0 ? (
        <form method="post" action={`/needs/${need.id}/status`} novalidate>
          <CsrfField token={context.csrfToken} />
          <Select name="status" label="Move to" state={forms?.status ?? emptyForm()} options={moves.map((status) => ({ value: status, label: needStatusLabels[status] }))} />
          <Button secondary>Change status</Button>
        </form>
      ) : null}
      {unassigned.length > 0 ? (
        <form method="post" action={`/needs/${need.id}/assign`} novalidate>
          <CsrfField token={context.csrfToken} />
          <Choices kind="checkbox" name="assignFellowIds" label="Assign more fellows" small state={forms?.assign ?? emptyForm()} options={unassigned.map((fellow) => ({ value: fellow.id, label: fellow.name }))} />
          <Button secondary>Assign</Button>
        </form>
      ) : null}
      <h3 id="reviews-heading">Rapid reviews</h3>
      {staff.reviews && staff.reviews.length > 0 ? (
        <ul class="nhsuk-list" aria-labelledby="reviews-heading">
          {staff.reviews.map((review) => (
            <li>
              <a href={`/reviews/${review.id}`}>
                {review.reference}: {review.title}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={`/reviews/new?needId=${need.id}`}>Start a rapid review of this need</a>
      </p>
      <h3 id="briefings-heading">Briefings</h3>
      {staff.briefings && staff.briefings.length > 0 ? (
        <ul class="nhsuk-list" aria-labelledby="briefings-heading">
          {staff.briefings.map((briefing) => (
            <li>
              <a href={`/briefings/${briefing.id}`}>
                {briefing.reference}: {briefing.title}
              </a>{' '}
              ({briefingStatusLabels[briefing.status]})
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={`/briefings/new?needId=${need.id}`}>Write a briefing for this need</a>
      </p>
    </section>
  );
};

const PinForm = ({ context, needId, recordId, action, title }: { context: PageContext; needId: string; recordId: string; action: 'pin' | 'unpin'; title: string }) => (
  <form method="post" action={`/needs/${needId}/evidence/${recordId}/${action}`} class="app-inline-form">
    <CsrfField token={context.csrfToken} />
    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">
      {/* The design system's pattern: hidden words mid-sentence, each with its own leading space. */}
      {action === 'pin' ? (
        <>
          Pin<span class="nhsuk-u-visually-hidden"> “{title}”</span> to this need
        </>
      ) : (
        <>
          Unpin<span class="nhsuk-u-visually-hidden"> “{title}”</span>
        </>
      )}
    </button>
  </form>
);

/** Narrows the matched evidence to one of the need's themes: a plain GET form, so it works without JavaScript. */
const MatchThemeFilter = ({ need, selected }: { need: Need; selected: { id: string } | undefined }) => (
  <form method="get" action={`/needs/${need.id}#matches-heading`} class="app-filters" aria-label="Filter the evidence that may help">
    <Select
      name="themeId"
      label="Theme"
      placeholder="Any theme"
      state={emptyForm({ themeId: selected?.id })}
      options={need.themes.map((theme) => ({ value: theme.id, label: theme.name }))}
    />
    <Button secondary>Filter evidence</Button>
  </form>
);

/**
 * How many records match the need. Its search is widened with words from its top results, as the search
 * page's is, so the count says how many hold the need's own words and how many more are only related.
 */
const MatchesCount = ({ matching }: { matching: NonNullable<NeedPageProps['matching']> }) => {
  const theme = matching.themeFilter ? ` on the theme ${matching.themeFilter.name}` : '';
  const widened = relatedCountSentence(matching, 'this need’s words');
  return widened ? (
    <>
      {matching.themeFilter ? `On the theme ${matching.themeFilter.name}, ${widened}` : widened}. The best of them, ranked by how well they answer the question, with higher evidence
      levels and recent work first.
    </>
  ) : (
    <>
      The best of {matching.total === 1 ? '1 matching record' : `${matching.total} matching records`}
      {theme}, ranked by how well they answer the question, with higher evidence levels and recent work first.
    </>
  );
};

const MatchingSections = ({ context, need, matching, canPin }: { context: PageContext; need: Need; matching: NonNullable<NeedPageProps['matching']>; canPin: boolean }) => (
  <>
    <section aria-labelledby="pinned-heading">
      <h2 id="pinned-heading">Pinned evidence</h2>
      {matching.pinned.length === 0 ? (
        <p id="pinned-empty">{canPin ? 'Nothing pinned yet. Pin the records the answer will draw on.' : 'The team has not pinned any evidence yet.'}</p>
      ) : (
        <ul class="nhsuk-list" id="pinned">
          {matching.pinned.map((pin) => (
            <li>
              <RecordSummary record={pin.record} />
              <p class="nhsuk-body-s">
                Pinned by {pin.pinnedBy.name}, {formatDateTime(pin.pinnedAt)}
                {pin.note ? `: ${pin.note}` : ''}
              </p>
              {canPin ? <PinForm context={context} needId={need.id} recordId={pin.record.id} action="unpin" title={pin.record.title} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
    <section aria-labelledby="matches-heading">
      <h2 id="matches-heading">Evidence that may help</h2>
      {need.themes.length > 0 ? <MatchThemeFilter need={need} selected={matching.themeFilter} /> : null}
      {matching.hits.length === 0 ? (
        <p>
          {matching.themeFilter
            ? `No records on the theme ${matching.themeFilter.name} match this need yet.`
            : 'No records in the library match this need yet. New evidence is matched as it is imported.'}
        </p>
      ) : (
        <>
          <p class="nhsuk-body-s" id="matches-count">
            <MatchesCount matching={matching} />
            {canPin && need.themes.length > 0 ? ' Pinning a record also tags it with this need’s themes.' : ''}
          </p>
          <SearchResults
            hits={matching.hits}
            offset={0}
            relatedWords={relatedWordsOf(matching)}
            action={(hit) =>
              hit.isPinned ? (
                <strong class="nhsuk-tag nhsuk-tag--green">Pinned</strong>
              ) : canPin ? (
                <PinForm context={context} needId={need.id} recordId={hit.record.id} action="pin" title={hit.record.title} />
              ) : null
            }
          />
        </>
      )}
      <p>
        <a href={`/search?q=${encodeURIComponent(matching.query.slice(0, 1500))}`}>Search and filter all the evidence for this need</a>
      </p>
    </section>
    <section aria-labelledby="people-heading">
      <h2 id="people-heading">People with matching expertise</h2>
      {matching.people.length === 0 ? (
        <p>No expertise profiles match yet.</p>
      ) : (
        <ul class="nhsuk-list" id="people">
          {matching.people.map((person) => (
            <li>
              <strong>{person.name}</strong>
              {person.jobTitle ? `, ${person.jobTitle}` : ''}
              <span class="nhsuk-body-s"> (matches: {person.matched.slice(0, 6).join(', ')})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
    <section aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar needs</h2>
      {matching.similar.length === 0 ? (
        <p>No similar needs found.</p>
      ) : (
        <ul class="nhsuk-list" id="similar">
          {matching.similar.map((other) => (
            <li>
              <a href={`/needs/${other.id}`}>{other.title}</a> <span class="nhsuk-body-s">({other.reference})</span> <StatusTag status={other.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  </>
);

export const NeedPage = (props: NeedPageProps) => {
  const { context, need, comments, history, canComment, canEdit = false, staff, forms, matching } = props;
  const errors = Object.assign({}, ...Object.values(forms ?? {}).map((form) => form.errors)) as FormState['errors'];
  const names = fellowNames(need);
  const isStaffActor = context.actor !== undefined && isStaff(context.actor.role);
  return (
    <Layout title={need.title} context={context} hasErrors={Object.keys(errors).length > 0} scripts={['/assets/scripts/need-live.js']}>
      <div data-need-live={`/needs/${need.id}/events`}>
        <ErrorSummary errors={errors} />
        <span class="nhsuk-caption-l">{need.reference}</span>
        <h1>{need.title}</h1>
        <p>
          Status: <StatusTag status={need.status} id="need-status" />
        </p>
        <p class="nhsuk-u-visually-hidden app-live-status" id="live-status" aria-live="polite"></p>
        <NeedSummary need={need} />
        {canEdit ? (
          <p>
            <a href={`/needs/${need.id}/edit`}>
              Edit this need<span class="nhsuk-u-visually-hidden">: {need.title}</span>
            </a>
          </p>
        ) : null}
        {staff && need.status === 'submitted' ? <TriageForms context={context} need={need} staff={staff} forms={forms} /> : null}
        {staff && need.status !== 'submitted' && need.status !== 'closed' ? <WorkForms context={context} need={need} staff={staff} forms={forms} /> : null}
        {matching ? <MatchingSections context={context} need={need} matching={matching} canPin={staff !== undefined} /> : null}
        <section aria-labelledby="thread-heading">
          <h2 id="thread-heading">Conversation</h2>
          <ol class="app-thread" id="thread" aria-label="Messages">
            {comments.map((comment) => (
              <CommentItem comment={comment} />
            ))}
          </ol>
          {comments.length === 0 ? <p id="thread-empty">No messages yet.</p> : null}
          {canComment ? (
            <form method="post" action={`/needs/${need.id}/comments`} novalidate>
              <CsrfField token={context.csrfToken} />
              <TextArea name="body" label="Your message" rows={4} state={forms?.comment ?? emptyForm()} />
              {isStaffActor ? (
                <Choices
                  kind="checkbox"
                  name="isInternal"
                  label="Who can see this"
                  small
                  state={forms?.comment ?? emptyForm()}
                  options={[{ value: 'true', label: 'Internal note (staff only, the requester will not see it)' }]}
                />
              ) : null}
              <Button>Send message</Button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ol class="app-history" id="history">
            {history.map((event) => (
              <HistoryItem event={event} names={names} />
            ))}
          </ol>
        </section>
      </div>
    </Layout>
  );
};
