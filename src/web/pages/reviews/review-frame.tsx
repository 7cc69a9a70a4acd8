import type { Child } from 'hono/jsx';
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
