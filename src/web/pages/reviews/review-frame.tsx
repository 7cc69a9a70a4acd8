import type { Child } from 'hono/jsx';
import { isStaff } from '../../../core/accounts/roles.js';
import type { BriefingSummary } from '../../../core/briefings/ports.js';
import { briefingStatusLabels } from '../../../core/briefings/types.js';
import { reviewStatusLabels, type Review } from '../../../core/reviews/types.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const sections = (review: Pick<Review, 'id'>) => [
  { href: `/reviews/${review.id}`, label: 'Overview' },
  { href: `/reviews/${review.id}/records`, label: 'Records' },
  { href: `/reviews/${review.id}/screen/title_abstract`, label: 'Title and abstract' },
  { href: `/reviews/${review.id}/screen/full_text`, label: 'Full text' },
  { href: `/reviews/${review.id}/conflicts`, label: 'Conflicts' },
  { href: `/reviews/${review.id}/extraction`, label: 'Extraction' },
  { href: `/reviews/${review.id}/prisma`, label: 'PRISMA' },
  { href: `/reviews/${review.id}/exports`, label: 'Exports' },
];

/** Every page of a review: its reference and title, status, and the review's own menu. */
export const ReviewFrame = ({
  context,
  review,
  title,
  hasErrors = false,
  scripts = [],
  children,
}: {
  context: PageContext;
  review: Pick<Review, 'id' | 'reference' | 'title' | 'status'>;
  title: string;
  hasErrors?: boolean;
  scripts?: string[];
  children?: Child;
}) => (
  <Layout title={`${title} – ${review.reference}`} context={context} hasErrors={hasErrors} scripts={scripts}>
    <span class="nhsuk-caption-l">
      {review.reference} · {review.title} · <strong class="nhsuk-tag nhsuk-tag--grey">{reviewStatusLabels[review.status]}</strong>
    </span>
    <nav class="app-review-nav" aria-label="Review">
      <ul class="app-review-nav__list">
        {sections(review).map((section) => (
          <li class="app-review-nav__item">
            <a class="app-review-nav__link" href={section.href} aria-current={context.path === section.href ? 'page' : undefined}>
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
    {children}
  </Layout>
);

/** A key and value row of an NHS.UK summary list. */
export const Row = ({ label, children, id }: { label: string; children?: Child; id?: string }) => (
  <div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">{label}</dt>
    <dd class="nhsuk-summary-list__value" id={id}>
      {children}
    </dd>
  </div>
);

/**
 * The way from a review to a briefing built on its included records (`/briefings/new?reviewId=…`), on the
 * overview and the exports page; only for those who write briefings (fellows, leads and administrators,
 * as the briefing routes check), not for researchers on the team.
 */
export const BriefingFromReview = ({ context, review, included, heading = false }: { context: PageContext; review: Pick<Review, 'id'>; included: number; heading?: boolean }) =>
  context.actor !== undefined && isStaff(context.actor.role) ? (
    <>
      {heading ? <h2 id="briefing-heading">Briefing</h2> : null}
      <p id="briefing-from-review">
        <a href={`/briefings/new?reviewId=${review.id}`}>Write a briefing from this review</a>
        {included === 0
          ? '; no record is included at full text yet, so it would start with no evidence to cite.'
          : `, with its ${included === 1 ? '1 included record' : `${included} included records`} as the evidence to cite.`}
      </p>
    </>
  ) : null;

/**
 * On the overview: the briefings started from the review (reference and title linked, status and
 * version), for those who may read briefings (`briefings` undefined for anyone else), then the way to
 * start one for those who write them.
 */
export const ReviewBriefings = ({
  context,
  review,
  included,
  briefings,
}: {
  context: PageContext;
  review: Pick<Review, 'id'>;
  included: number;
  briefings: Pick<BriefingSummary, 'id' | 'reference' | 'title' | 'status' | 'currentVersion'>[] | undefined;
}) => {
  const canStart = context.actor !== undefined && isStaff(context.actor.role);
  if (!canStart && (briefings === undefined || briefings.length === 0)) {
    return null;
  }
  return (
    <section aria-labelledby="review-briefings-heading">
      <h2 id="review-briefings-heading">Briefings</h2>
      {briefings === undefined ? null : briefings.length === 0 ? (
        <p id="review-briefings">No briefing has been started from this review yet.</p>
      ) : (
        <ul class="nhsuk-list" id="review-briefings">
          {briefings.map((briefing) => (
            <li>
              <a href={`/briefings/${briefing.id}`}>
                {briefing.reference}: {briefing.title}
              </a>{' '}
              ({briefingStatusLabels[briefing.status]}, version {briefing.currentVersion})
            </li>
          ))}
        </ul>
      )}
      <BriefingFromReview context={context} review={review} included={included} />
    </section>
  );
};
