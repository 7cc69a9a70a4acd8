import type { Figure, FigureColumn, FigureValue } from '../../../core/dashboard/figures.js';
import { Button, ErrorSummary, TextInput, type FormState } from '../../components/form.js';
import { formatDate } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

const Value = ({ value, column }: { value: FigureValue | undefined; column: FigureColumn }) => {
  if (value === null || value === undefined) {
    return <span title="Nothing to measure yet">–</span>;
  }
  if (typeof value === 'string') {
    return <>{value}</>;
  }
  return <>{`${numberFormat.format(value)}${column.kind === 'percent' ? '%' : ''}`}</>;
};

const query = (range: { from: string; to: string }) => `from=${range.from}&to=${range.to}`;

/** A figure's numbers: the same as its chart shows, for everyone who cannot see the chart (and to copy). */
const FigureTable = ({ figure }: { figure: Figure }) => (
  <div class="app-table-scroll">
    <table class="nhsuk-table" id={`table-${figure.id}`}>
      <caption class="nhsuk-table__caption nhsuk-table__caption--s">{figure.title}: the numbers</caption>
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          {figure.columns.map((column) => (
            <th class={`nhsuk-table__header${column.kind === 'text' ? '' : ' nhsuk-table__header--numeric'}`} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {figure.rows.map((row) => (
          <tr class="nhsuk-table__row">
            {figure.columns.map((column, index) =>
              index === 0 ? (
                <th class="nhsuk-table__header" scope="row">
                  <Value value={row[column.key]} column={column} />
                </th>
              ) : (
                <td class={`nhsuk-table__cell${column.kind === 'text' ? '' : ' nhsuk-table__cell--numeric'}`}>
                  <Value value={row[column.key]} column={column} />
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

interface DashboardPageProps {
  context: PageContext;
  range: { from: string; to: string };
  form: FormState;
  figures: { figure: Figure; svg: string | undefined }[];
}

/** The impact dashboard: each figure's chart (SVG, named and described), its numbers as a table, and its CSV. */
export const DashboardPage = ({ context, range, form, figures }: DashboardPageProps) => (
  <Layout title="Impact dashboard" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <ErrorSummary errors={form.errors} order={['from', 'to']} />
    <h1>Impact dashboard</h1>
    <p>
      Needs, response times, follow-ups, reported uses and activities from {formatDate(range.from)} to {formatDate(range.to)} (months in UK time). Every figure
      is also in the tables below its chart, and as CSV.
    </p>
    <form method="get" action="/dashboard" class="app-filters" aria-label="Choose the period" novalidate>
      <TextInput name="from" label="From" type="date" state={form} />
      <TextInput name="to" label="To" type="date" state={form} />
      <Button secondary>Show</Button>
    </form>
    <p>
      <a href={`/dashboard.csv?${query(range)}`} download>
        Download every figure (CSV)
      </a>
    </p>
    <nav aria-label="Figures on this page">
      <ul class="nhsuk-list nhsuk-list--bullet">
        {figures.map(({ figure }) => (
          <li>
            <a href={`#${figure.id}`}>{figure.title}</a>
          </li>
        ))}
      </ul>
    </nav>
    {figures.map(({ figure, svg }) => (
      <section class="nhsuk-u-margin-bottom-7" aria-labelledby={figure.id}>
        <h2 id={figure.id}>{figure.title}</h2>
        <p>{figure.description}</p>
        {svg ? <div class="app-table-scroll app-chart" dangerouslySetInnerHTML={{ __html: svg }} /> : null}
        <FigureTable figure={figure} />
        <p class="nhsuk-body-s">
          <a href={`/dashboard/figures/${figure.id}.csv?${query(range)}`} download>
            Download “{figure.title}” (CSV)
          </a>
          {svg ? (
            <>
              {' · '}
              <a href={`/dashboard/figures/${figure.id}.svg?${query(range)}`} download>
                chart (SVG)
              </a>
            </>
          ) : null}
        </p>
      </section>
    ))}
  </Layout>
);
