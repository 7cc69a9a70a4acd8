import type { Theme } from '../../../core/organisations/types.js';
import { needStatuses, needStatusLabels, urgencies, urgencyLabels, type Need } from '../../../core/needs/types.js';
import { Button, Select, type FormState } from '../../components/form.js';
import { StatusTag } from '../../components/need-parts.js';
import { formatDate } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

interface NeedsListPageProps {
  context: PageContext;
  title: string;
  intro: string;
  needs: Need[];
  total: number;
  /** The triage queue has filters; "my needs" does not. */
  filters?: { form: FormState; themes: Theme[] } | undefined;
}

export const NeedsListPage = ({ context, title, intro, needs, total, filters }: NeedsListPageProps) => (
  <Layout title={title} context={context}>
    <h1>{title}</h1>
    <p>{intro}</p>
    {filters ? (
      <form method="get" action={context.path} class="app-filters" aria-label="Filter needs">
        <Select name="status" label="Status" placeholder="Any status" state={filters.form} options={needStatuses.map((value) => ({ value, label: needStatusLabels[value] }))} />
        <Select name="themeId" label="Theme" placeholder="Any theme" state={filters.form} options={filters.themes.map((theme) => ({ value: theme.id, label: theme.name }))} />
        <Select name="urgency" label="Urgency" placeholder="Any urgency" state={filters.form} options={urgencies.map((value) => ({ value, label: urgencyLabels[value] }))} />
        <Button secondary>Filter</Button>
      </form>
    ) : null}
    <p class="nhsuk-body-s" id="needs-count">
      {total === 1 ? '1 need' : `${total} needs`}, soonest deadline first
    </p>
    {needs.length === 0 ? (
      <p>There are no needs to show.</p>
    ) : (
      <table class="nhsuk-table-responsive">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{title}</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="col">Need</th>
            <th class="nhsuk-table__header" scope="col">Organisation</th>
            <th class="nhsuk-table__header" scope="col">Deadline</th>
            <th class="nhsuk-table__header" scope="col">Urgency</th>
            <th class="nhsuk-table__header" scope="col">Status</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {needs.map((need) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Need </span>
                <a href={`/needs/${need.id}`}>{need.title}</a>
                <br />
                <span class="nhsuk-body-s">{need.reference}</span>
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Organisation </span>
                {need.organisationName ?? 'None'}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Deadline </span>
                {formatDate(need.deadlineOn)}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Urgency </span>
                {urgencyLabels[need.urgency]}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Status </span>
                <StatusTag status={need.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);
