import type { EvidenceRecord } from '../../../core/evidence/types.js';
import { decisionLabels, stageLabels, type Review, type ScreeningCard, type ScreeningDecision, type Stage } from '../../../core/reviews/types.js';
import type { FieldErrors } from '../../../core/shared/errors.js';
import { Button, CsrfField, ErrorMessage, ErrorSummary, emptyForm, textValue, type FormState } from '../../components/form.js';
import { DesignTag, authorsSentence, citationLine } from '../../components/record-parts.js';
import { formatDateTime } from '../../format.js';
import { ReviewFrame } from './review-frame.js';
import type { PageContext } from '../../page-context.js';

type Segment = { text: string; mark?: 'include' | 'exclude' };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits text at the team's keywords (whole words, any case; a keyword ending in `*` matches words
 * starting so), marking each as a sign of relevance or irrelevance. Output is escaped by JSX.
 */
export const highlightKeywords = (text: string, include: readonly string[], exclude: readonly string[]): Segment[] => {
  const terms = [...include.map((term) => ({ term, mark: 'include' as const })), ...exclude.map((term) => ({ term, mark: 'exclude' as const }))].filter((entry) => entry.term.trim() !== '');
  if (terms.length === 0 || text === '') {
    return [{ text }];
  }
  // Longer keywords first, so that "care home" wins over "care".
  terms.sort((a, b) => b.term.length - a.term.length);
  const pattern = terms.map(({ term }) => (term.endsWith('*') ? `${escapeRegExp(term.slice(0, -1).trim())}\\p{L}*` : escapeRegExp(term.trim()))).join('|');
  const matcher = new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, 'giu');
  const marks = new Map(terms.map((entry) => [entry.term.replace(/\*$/, '').trim().toLowerCase(), entry.mark]));
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(matcher)) {
    const at = match.index;
    if (at > last) {
      segments.push({ text: text.slice(last, at) });
    }
    const found = match[0];
    const lower = found.toLowerCase();
    const mark = marks.get(lower) ?? [...marks].find(([term]) => lower.startsWith(term))?.[1] ?? 'include';
    segments.push({ text: found, mark });
    last = at + found.length;
  }
  if (last < text.length) {
    segments.push({ text: text.slice(last) });
  }
  return segments;
};

const Highlighted = ({ text, review }: { text: string; review: Pick<Review, 'includeKeywords' | 'excludeKeywords'> }) => (
  <>
    {highlightKeywords(text, review.includeKeywords, review.excludeKeywords).map((segment) =>
      segment.mark ? (
        <mark class={`app-mark app-mark--${segment.mark}`} title={segment.mark === 'include' ? 'Sign of relevance' : 'Sign of irrelevance'}>
          {segment.text}
        </mark>
      ) : (
        segment.text
      ),
    )}
  </>
);

const fullTextLinks = (record: EvidenceRecord) => [
  ...(record.doi ? [{ href: `https://doi.org/${record.doi}`, label: `DOI ${record.doi}` }] : []),
  ...(record.pmcid ? [{ href: `https://www.ncbi.nlm.nih.gov/pmc/articles/${record.pmcid}/`, label: `PubMed Central ${record.pmcid}` }] : []),
  ...(record.pmid ? [{ href: `https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/`, label: `PubMed ${record.pmid}` }] : []),
  ...(record.url ? [{ href: record.url, label: 'Link from the source' }] : []),
];

const OthersDecisions = ({ others }: { others: ScreeningDecision[] }) =>
  others.length === 0 ? null : (
    <div class="nhsuk-inset-text" id="others">
      <p>
        {others.map((decision) => (
          <span>
            {decision.screenerName}: {decisionLabels[decision.decision]}
            {decision.reason ? ` (${decision.reason})` : ''}.{' '}
          </span>
        ))}
      </p>
    </div>
  );

/** Back to the record this screener decided last, to change that decision (key U, see screening.js). */
const BackToPrevious = ({ review, stage, previous }: { review: Review; stage: Stage; previous: string | undefined }) =>
  previous ? (
    <p class="nhsuk-body-s">
      <a id="previous-decision" href={`/reviews/${review.id}/screen/${stage}?record=${previous}`}>
        Back to the last record you screened, to change your decision
      </a>{' '}
      <kbd>U</kbd>
    </p>
  ) : null;

export const ScreenPage = ({
  context,
  review,
  stage,
  card,
  previous,
  form,
  notice,
}: {
  context: PageContext;
  review: Review;
  stage: Stage;
  card: ScreeningCard | undefined;
  /** The record this screener decided last (the card's own `previous`, or when nothing is left). */
  previous: string | undefined;
  form: FormState;
  /** Said above the card, e.g. why the decision just sent was not saved. */
  notice?: string | undefined;
}) => (
  <ReviewFrame context={context} review={review} title={`Screen: ${stageLabels[stage].toLowerCase()}`} hasErrors={Object.keys(form.errors).length > 0} scripts={['/assets/scripts/screening.js']}>
    <ErrorSummary errors={form.errors} />
    <h1>Screen: {stageLabels[stage].toLowerCase()}</h1>
    {notice ? (
      <div class="nhsuk-inset-text" id="screening-notice">
        <p>{notice}</p>
      </div>
    ) : null}
    {card === undefined ? (
      <div class="nhsuk-inset-text" id="screening-done">
        <p>
          Nothing left for you to screen at this stage. <a href={`/reviews/${review.id}`}>Back to the overview</a>.
        </p>
        <BackToPrevious review={review} stage={stage} previous={previous} />
      </div>
    ) : (
      <div class="nhsuk-grid-row" data-screening>
        <div class="nhsuk-grid-column-two-thirds">
          <article class="nhsuk-card" aria-labelledby="record-title">
            <div class="nhsuk-card__content">
              <h2 class="nhsuk-card__heading nhsuk-heading-m" id="record-title" data-record-id={card.record.id}>
                <Highlighted text={card.record.title} review={review} />
              </h2>
              <p class="nhsuk-body-s">
                {authorsSentence(card.record.authors)} {citationLine(card.record)} <DesignTag record={card.record} />
              </p>
              <div id="record-abstract" class="app-abstract">
                {card.record.abstract ? (
                  card.record.abstract.split(/\n{2,}/).map((paragraph) => (
                    <p>
                      <Highlighted text={paragraph} review={review} />
                    </p>
                  ))
                ) : (
                  <p>No abstract.</p>
                )}
              </div>
              {card.record.keywords.length + card.record.meshTerms.length > 0 ? (
                <p class="nhsuk-body-s">
                  Keywords: <Highlighted text={[...card.record.keywords, ...card.record.meshTerms].join('; ')} review={review} />
                </p>
              ) : null}
              {stage === 'full_text' ? (
                <ul class="nhsuk-list" aria-label="Full text">
                  {fullTextLinks(card.record).map((link) => (
                    <li>
                      <a href={link.href} rel="noreferrer noopener">
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </article>
          <OthersDecisions others={card.others} />
          {card.canDecide ? null : (
            <div class="nhsuk-inset-text" id="read-only">
              <p>
                {card.order.explanation} You can read it, but not decide it.{' '}
                <a href={`/reviews/${review.id}/screen/${stage}`}>Go to your next record</a>
              </p>
            </div>
          )}
          {card.canDecide ? <form method="post" action={`/reviews/${review.id}/screen/${stage}`} class="app-decision-form" novalidate>
            <CsrfField token={context.csrfToken} />
            <input type="hidden" name="recordId" value={card.record.id} />
            <input type="hidden" name="modelVersion" value={card.order.modelVersion ?? ''} />
            <input type="hidden" name="rankPosition" value={String(card.order.position)} />
            <div class="app-decision-buttons">
              <Button name="decision" value="include">
                Include <kbd>I</kbd>
              </Button>{' '}
              {stage === 'title_abstract' ? (
                <Button secondary name="decision" value="maybe">
                  Maybe <kbd>M</kbd>
                </Button>
              ) : (
                <Button secondary name="decision" value="not_retrieved">
                  Full text not retrieved <kbd>N</kbd>
                </Button>
              )}
            </div>
            <div class={`nhsuk-form-group${form.errors.reason ? ' nhsuk-form-group--error' : ''}`}>
              <fieldset class="nhsuk-fieldset" id="reason-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Exclude, because</legend>
                {form.errors.reason ? <ErrorMessage id="reason-error" message={form.errors.reason} /> : null}
                <div class="nhsuk-radios nhsuk-radios--small">
                  {review.exclusionReasons.map((reason, index) => (
                    <div class="nhsuk-radios__item">
                      <input class="nhsuk-radios__input" id={index === 0 ? 'reason' : `reason-${index + 1}`} name="reason" type="radio" value={reason} data-key={index < 9 ? String(index + 1) : undefined} checked={card.mine?.reason === reason} />
                      <label class="nhsuk-label nhsuk-radios__label" for={index === 0 ? 'reason' : `reason-${index + 1}`}>
                        {index < 9 ? <kbd>{index + 1}</kbd> : null} {reason}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <Button secondary name="decision" value="exclude">
              Exclude <kbd>X</kbd>
            </Button>
          </form> : null}
          <BackToPrevious review={review} stage={stage} previous={previous} />
          <p class="nhsuk-body-s" id="shortcuts">
            Keys: <kbd>I</kbd> include, <kbd>X</kbd> exclude with the chosen reason (or a number key <kbd>1</kbd>–<kbd>9</kbd> to exclude with that reason)
            {stage === 'title_abstract' ? (
              <>
                , <kbd>M</kbd> maybe
              </>
            ) : (
              <>
                , <kbd>N</kbd> not retrieved
              </>
            )}
            , <kbd>U</kbd> back to the last record you screened.
          </p>
          <details class="nhsuk-details" open={form.errors.note !== undefined || form.errors.tags !== undefined}>
            <summary class="nhsuk-details__summary">
              <span class="nhsuk-details__summary-text">Notes and tags{card.notes.length + card.tags.length > 0 ? ` (${[card.notes.length > 0 ? `${card.notes.length} ${card.notes.length === 1 ? 'note' : 'notes'}` : '', card.tags.length > 0 ? `${card.tags.length} ${card.tags.length === 1 ? 'tag' : 'tags'}` : ''].filter(Boolean).join(', ')})` : ''}</span>
            </summary>
            <div class="nhsuk-details__text">
              {card.notes.length > 0 ? (
                <ul class="nhsuk-list" aria-label="Notes">
                  {card.notes.map((note) => (
                    <li>
                      <strong>{note.author}</strong>, {formatDateTime(note.at)}: {note.body}
                    </li>
                  ))}
                </ul>
              ) : null}
              <form method="post" action={`/reviews/${review.id}/records/${card.record.id}/notes?stage=${stage}`} novalidate>
                <CsrfField token={context.csrfToken} />
                <div class={`nhsuk-form-group${form.errors.note ? ' nhsuk-form-group--error' : ''}`}>
                  <label class="nhsuk-label" for="note">
                    Add a note for the team
                  </label>
                  {form.errors.note ? <ErrorMessage id="note-error" message={form.errors.note} /> : null}
                  <textarea class={`nhsuk-textarea${form.errors.note ? ' nhsuk-textarea--error' : ''}`} id="note" name="body" rows={2} aria-describedby={form.errors.note ? 'note-error' : undefined}>
                    {textValue(form, 'note')}
                  </textarea>
                </div>
                <Button secondary>Add note</Button>
              </form>
              <form method="post" action={`/reviews/${review.id}/records/${card.record.id}/tags?stage=${stage}`} novalidate>
                <CsrfField token={context.csrfToken} />
                <div class={`nhsuk-form-group${form.errors.tags ? ' nhsuk-form-group--error' : ''}`}>
                  <label class="nhsuk-label" for="tags">
                    Tags
                  </label>
                  <div class="nhsuk-hint" id="tags-hint">
                    Separate tags with commas
                  </div>
                  {form.errors.tags ? <ErrorMessage id="tags-error" message={form.errors.tags} /> : null}
                  <input
                    class={`nhsuk-input${form.errors.tags ? ' nhsuk-input--error' : ''}`}
                    id="tags"
                    name="tags"
                    type="text"
                    value={form.errors.tags ? textValue(form, 'tags') : card.tags.join(', ')}
                    aria-describedby={form.errors.tags ? 'tags-hint tags-error' : 'tags-hint'}
                  />
                </div>
                <Button secondary>Save tags</Button>
              </form>
            </div>
          </details>
        </div>
        <div class="nhsuk-grid-column-one-third">
          <aside aria-labelledby="guidance-heading" class="app-screening-aside">
            <h2 class="nhsuk-heading-s" id="guidance-heading">
              Where you are
            </h2>
            <p id="remaining">{card.remaining === 1 ? 'This is the last record for you at this stage.' : `${card.remaining} records left for you at this stage, this one included.`}</p>
            <p class="nhsuk-body-s" id="order-reason" data-order-by={card.order.by} data-model-version={card.order.modelVersion ?? ''}>
              {card.order.explanation}
              {card.order.modelVersion && card.order.by === 'model' ? ` Model ${card.order.modelVersion}.` : ''}
            </p>
            {card.guidance ? (
              <>
                <h2 class="nhsuk-heading-s">When to stop</h2>
                <p class="nhsuk-body-s" id="stopping">
                  {card.guidance.explanation}
                </p>
                {card.guidance.screened > 0 ? (
                  <p class="nhsuk-body-s">
                    <a href={`/reviews/${review.id}#when-to-stop`} id="stopping-curve-link">
                      See the curve of inclusions found
                    </a>
                  </p>
                ) : null}
              </>
            ) : null}
          </aside>
        </div>
      </div>
    )}
  </ReviewFrame>
);

export interface ConflictItem {
  record: EvidenceRecord;
  decisions: ScreeningDecision[];
}

/** The error summary's entries, linked to the record's own reason field (every conflict has one). */
const conflictErrors = (form: FormState): FieldErrors =>
  Object.fromEntries(Object.entries(form.errors).map(([name, message]) => [name === 'reason' ? `reason-${textValue(form, 'recordId')}` : name, message]));

/**
 * Conflicts at both stages, each with its resolution form for a third screener. `form` is a
 * resolution sent back with errors: its record's form shows them and keeps the chosen reason.
 */
export const ConflictsPage = ({
  context,
  review,
  conflicts,
  canResolve,
  actorId,
  form = emptyForm(),
}: {
  context: PageContext;
  review: Review;
  conflicts: Record<Stage, ConflictItem[]>;
  canResolve: boolean;
  actorId: string;
  form?: FormState;
}) => (
  <ReviewFrame context={context} review={review} title="Conflicts" hasErrors={Object.keys(form.errors).length > 0}>
    <ErrorSummary errors={conflictErrors(form)} />
    <h1>Conflicts</h1>
    <p>Records two screeners decided differently. A third screener (a review lead or arbiter who did not screen the record) settles each one.</p>
    {(['title_abstract', 'full_text'] as const).map((stage) => (
      <section aria-labelledby={`conflicts-${stage}`}>
        <h2 id={`conflicts-${stage}`}>
          {stageLabels[stage]} ({conflicts[stage].length})
        </h2>
        {conflicts[stage].length === 0 ? <p>None.</p> : null}
        {conflicts[stage].map((item) => {
          const involved = item.decisions.some((decision) => decision.screenerId === actorId);
          const sent = textValue(form, 'recordId') === item.record.id && textValue(form, 'stage') === stage;
          const reasonError = sent ? form.errors.reason : undefined;
          return (
            <div class="nhsuk-card app-conflict" data-record-id={item.record.id}>
              <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">{item.record.title}</h3>
                <p class="nhsuk-body-s">{item.record.abstract ? `${item.record.abstract.slice(0, 500)}${item.record.abstract.length > 500 ? '…' : ''}` : 'No abstract.'}</p>
                <ul class="nhsuk-list">
                  {item.decisions.map((decision) => (
                    <li>
                      {decision.screenerName}: {decisionLabels[decision.decision]}
                      {decision.reason ? ` (${decision.reason})` : ''}
                    </li>
                  ))}
                </ul>
                {canResolve && !involved ? (
                  <form method="post" action={`/reviews/${review.id}/conflicts`} novalidate>
                    <CsrfField token={context.csrfToken} />
                    <input type="hidden" name="recordId" value={item.record.id} />
                    <input type="hidden" name="stage" value={stage} />
                    <div class={`nhsuk-form-group${reasonError ? ' nhsuk-form-group--error' : ''}`}>
                      <label class="nhsuk-label" for={`reason-${item.record.id}`}>
                        Reason, if excluding
                      </label>
                      {reasonError ? <ErrorMessage id={`reason-${item.record.id}-error`} message={reasonError} /> : null}
                      <select
                        class={`nhsuk-select${reasonError ? ' nhsuk-select--error' : ''}`}
                        id={`reason-${item.record.id}`}
                        name="reason"
                        aria-describedby={reasonError ? `reason-${item.record.id}-error` : undefined}
                      >
                        <option value="">Choose a reason</option>
                        {review.exclusionReasons.map((reason) => (
                          <option value={reason} selected={sent && textValue(form, 'reason') === reason}>
                            {reason}
                          </option>
                        ))}
                      </select>
                    </div>
                    <Button name="decision" value="include">
                      Include
                    </Button>{' '}
                    <Button secondary name="decision" value="exclude">
                      Exclude
                    </Button>
                    {stage === 'full_text' ? (
                      <>
                        {' '}
                        <Button secondary name="decision" value="not_retrieved">
                          Full text not retrieved
                        </Button>
                      </>
                    ) : null}
                  </form>
                ) : (
                  <p class="nhsuk-body-s">{involved ? 'You screened this record, so another member resolves it.' : 'A review lead or arbiter resolves this.'}</p>
                )}
              </div>
            </div>
          );
        })}
      </section>
    ))}
  </ReviewFrame>
);
