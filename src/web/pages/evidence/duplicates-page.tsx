import { Pager } from '../../components/pager.js';
import type { DuplicateCandidate, EvidenceRecord } from '../../../core/evidence/types.js';
import { Button, CsrfField } from '../../components/form.js';
import { DesignTag, authorsSentence, citationLine } from '../../components/record-parts.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const reasonLabels: Record<string, string> = {
  same_title: 'same title',
  similar_title: 'similar title',
  same_author: 'same first author',
  author_missing: 'author missing on one side',
  year_differs: 'years one apart',
};

const Side = ({ record, label }: { record: EvidenceRecord; label: string }) => (
  <div class="nhsuk-grid-column-one-half">
    <div class="nhsuk-card">
      <div class="nhsuk-card__content">
        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{label}</p>
        <h3 class="nhsuk-heading-s">
          <a href={`/evidence/records/${record.id}`}>{record.title}</a>
        </h3>
        <p class="nhsuk-body-s">
          {authorsSentence(record.authors)} {citationLine(record)}
        </p>
        <p class="nhsuk-body-s">
          <DesignTag record={record} />
        </p>
        <p class="nhsuk-body-s">
          {record.doi ? `DOI ${record.doi}. ` : ''}
          {record.pmid ? `PMID ${record.pmid}. ` : ''}
          {record.sourceDatabases.length > 0 ? `From ${record.sourceDatabases.join(', ')}.` : ''}
        </p>
        <p class="nhsuk-body-s">{record.abstract ? `${record.abstract.slice(0, 400)}${record.abstract.length > 400 ? '…' : ''}` : 'No abstract.'}</p>
      </div>
    </div>
  </div>
);

export const DuplicatesPage = ({
  context,
  candidates,
  total,
  canDecide,
  page = { number: 1, size: 50 },
}: {
  context: PageContext;
  candidates: DuplicateCandidate[];
  total: number;
  canDecide: boolean;
  page?: { number: number; size: number };
}) => (
  <Layout title="Possible duplicates" context={context}>
    <h1>Possible duplicates</h1>
    <p>
      Records with the same DOI or PMID, or the same title, year and first author, were merged on import. These pairs are close but not certain: compare them
      and merge them or keep them apart. Merging keeps the richest fields of both and remembers every source.
    </p>
    <p id="candidates-count">{total === 1 ? '1 pair to decide' : `${total} pairs to decide`}, most alike first.</p>
    {canDecide ? (
      <form method="post" action="/evidence/duplicates/scan">
        <CsrfField token={context.csrfToken} />
        <Button secondary>Scan the whole library again</Button>
      </form>
    ) : null}
    {candidates.map((candidate, index) => (
      <section class="app-candidate" aria-labelledby={`candidate-${candidate.id}`}>
        <h2 class="nhsuk-heading-m" id={`candidate-${candidate.id}`}>
          Pair {(page.number - 1) * page.size + index + 1}: score {candidate.score.toFixed(2)}
          <span class="nhsuk-body-s nhsuk-u-margin-left-2">({candidate.reasons.map((reason) => reasonLabels[reason] ?? reason).join(', ')})</span>
        </h2>
        <div class="nhsuk-grid-row">
          <Side record={candidate.left} label="First record" />
          <Side record={candidate.right} label="Second record" />
        </div>
        {canDecide ? (
          <div class="app-candidate__actions">
            <form method="post" action={`/evidence/duplicates/${candidate.id}/merge`} class="app-inline-form">
              <CsrfField token={context.csrfToken} />
              <Button>
                Merge<span class="nhsuk-u-visually-hidden"> pair {(page.number - 1) * page.size + index + 1}</span>
              </Button>
            </form>
            <form method="post" action={`/evidence/duplicates/${candidate.id}/keep-apart`} class="app-inline-form">
              <CsrfField token={context.csrfToken} />
              <Button secondary>
                Keep apart<span class="nhsuk-u-visually-hidden"> pair {(page.number - 1) * page.size + index + 1}</span>
              </Button>
            </form>
          </div>
        ) : null}
      </section>
    ))}
    <Pager total={total} page={page} hrefOf={(number) => `/evidence/duplicates?page=${number}`} noun="Pairs" />
  </Layout>
);
