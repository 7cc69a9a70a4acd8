import { defaultPrismaLabels, prismaBoxes, type PrismaBox, type PrismaCounts } from '../../../core/reviews/prisma.js';
import { stageLabels, type Review } from '../../../core/reviews/types.js';
import { counted } from '../../../core/shared/text.js';
import { Button, CsrfField, ErrorSummary, TextInput, type FormState } from '../../components/form.js';
import type { PageContext } from '../../page-context.js';
import { ReviewFrame } from './review-frame.js';

export interface PrismaPageData {
  review: Review;
  counts: PrismaCounts;
  labels: Record<PrismaBox, string>;
  /** The diagram, rendered and escaped by the SVG renderer. */
  svg: string;
  canManage: boolean;
}

const CountRow = ({ label, value, isDetail = false }: { label: string; value: number; isDetail?: boolean }) => (
  <tr>
    <th scope="row" class={isDetail ? 'app-prisma-detail' : undefined}>
      {label}
    </th>
    <td class="nhsuk-table__cell--numeric">{value}</td>
  </tr>
);

/** The diagram's numbers as a table, for anyone who cannot see or zoom the picture. */
const CountsTable = ({ counts, labels }: { counts: PrismaCounts; labels: Record<PrismaBox, string> }) => (
  <table class="nhsuk-table" id="prisma-counts">
    <caption class="nhsuk-table__caption nhsuk-table__caption--s">The diagram’s counts</caption>
    <thead class="nhsuk-table__head">
      <tr>
        <th scope="col">Box</th>
        <th scope="col" class="nhsuk-table__header--numeric">
          Number
        </th>
      </tr>
    </thead>
    <tbody class="nhsuk-table__body">
      <CountRow label={labels.identified} value={counts.identified.total} />
      {counts.identified.bySource.map((source) => (
        <CountRow label={source.source} value={source.count} isDetail />
      ))}
      <CountRow label={labels.removed} value={counts.duplicatesRemoved} />
      <CountRow label={labels.removedOther} value={counts.removedForOtherReasons} />
      <CountRow label={labels.screened} value={counts.screened} />
      <CountRow label={labels.excludedScreening} value={counts.excludedAtScreening} />
      <CountRow label={labels.sought} value={counts.sought} />
      <CountRow label={labels.notRetrieved} value={counts.notRetrieved} />
      <CountRow label={labels.assessed} value={counts.assessed} />
      <CountRow label={labels.excludedReports} value={counts.excludedReports.total} />
      {counts.excludedReports.byReason.map((reason) => (
        <CountRow label={reason.reason} value={reason.count} isDetail />
      ))}
      <CountRow label={labels.included} value={counts.included} />
    </tbody>
  </table>
);

const boxNames: Record<PrismaBox, string> = {
  heading: 'Heading',
  identified: 'Records identified (box 1)',
  removed: 'Duplicate records removed before screening (box 2)',
  removedOther: 'Records removed for other reasons (box 2)',
  screened: 'Records screened (box 3)',
  excludedScreening: 'Records excluded at screening (box 4)',
  sought: 'Reports sought for retrieval (box 5)',
  notRetrieved: 'Reports not retrieved (box 6)',
  assessed: 'Reports assessed for eligibility (box 7)',
  excludedReports: 'Reports excluded, with reasons (box 8)',
  included: 'Studies included (box 9)',
};

/** The PRISMA 2020 flow diagram from the review's real counts, its downloads, and (for leads) its wording. */
export const PrismaPage = ({ context, data, form }: { context: PageContext; data: PrismaPageData; form: FormState }) => {
  const { review, counts } = data;
  const hasErrors = Object.keys(form.errors).length > 0;
  const pending = (['title_abstract', 'full_text'] as const).filter((stage) => counts.pending[stage] > 0);
  return (
    <ReviewFrame context={context} review={review} title="PRISMA flow diagram" hasErrors={hasErrors}>
      <ErrorSummary errors={form.errors} order={[...prismaBoxes]} />
      <h1>PRISMA 2020 flow diagram</h1>
      {pending.length > 0 ? (
        <div class="nhsuk-warning-callout" id="prisma-provisional">
          <h2 class="nhsuk-warning-callout__label">
            <span class="nhsuk-u-visually-hidden">Important: </span>
            Screening is not finished
          </h2>
          <p>
            {pending.map((stage) => `${counted(counts.pending[stage], 'record')} at ${stageLabels[stage].toLowerCase()}`).join(' and ')}{' '}
            {counts.pending.title_abstract + counts.pending.full_text === 1 ? 'has' : 'have'} no final decision yet, so the counts will change.
          </p>
        </div>
      ) : null}
      <div class="app-prisma" id="prisma-diagram" dangerouslySetInnerHTML={{ __html: data.svg }} />
      <ul class="nhsuk-list" id="prisma-downloads">
        <li>
          <a href={`/reviews/${review.id}/prisma.svg`} download>
            Download the diagram as SVG
          </a>{' '}
          (scales to any size; for reports and slides)
        </li>
        <li>
          <a href={`/reviews/${review.id}/prisma.png`} download>
            Download the diagram as PNG
          </a>{' '}
          (a picture, 1,760 pixels wide)
        </li>
      </ul>
      <CountsTable counts={counts} labels={data.labels} />
      {data.canManage ? (
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-two-thirds">
            <h2 id="labels">Wording of the boxes</h2>
            <p>Reword a box to suit the review; the numbers always come from the review. Leave a box empty to go back to the PRISMA 2020 wording.</p>
            <form method="post" action={`/reviews/${review.id}/prisma/labels`} novalidate>
              <CsrfField token={context.csrfToken} />
              {prismaBoxes.map((box) => (
                <TextInput name={box} label={boxNames[box]} hint={`PRISMA wording: ${defaultPrismaLabels[box]}`} state={form} />
              ))}
              <Button>Save wording</Button>
            </form>
          </div>
        </div>
      ) : null}
    </ReviewFrame>
  );
};
