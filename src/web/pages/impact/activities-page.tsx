import { activityKindLabels, activityKinds, type Activity } from '../../../core/activities/types.js';
import { Button, CsrfField, ErrorSummary, Select, TextArea, TextInput, type FormState, type Option } from '../../components/form.js';
import { formatDate } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const hoursFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

interface ActivitiesPageProps {
  context: PageContext;
  form: FormState;
  filters: FormState;
  choices: { organisations: Option[]; themes: Option[]; needs: Option[]; fellows: Option[] };
  activities: Activity[];
  total: number;
  hours: number;
}

/** Fellows log their activities; the list shows everyone's, filtered, with the hours they add up to. */
export const ActivitiesPage = ({ context, form, filters, choices, activities, total, hours }: ActivitiesPageProps) => (
  <Layout title="Activities" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <ErrorSummary errors={form.errors} order={['kind', 'title', 'occurredOn', 'hours', 'organisationId', 'themeId', 'needId', 'notes']} />
    <h1>Activities</h1>
    <p>
      Everything done in the knowledge mobilisation mission, with partner, theme and hours. Needs and outputs log theirs automatically. See also{' '}
      <a href="/followups">follow-ups</a>, <a href="/impact">impact records</a> and the <a href="/dashboard">dashboard</a>.
    </p>
    <details class="nhsuk-details" open={Object.keys(form.errors).length > 0}>
      <summary class="nhsuk-details__summary">
        <span class="nhsuk-details__summary-text">Log an activity</span>
      </summary>
      <div class="nhsuk-details__text">
        <form method="post" action="/activities" novalidate>
          <CsrfField token={context.csrfToken} />
          <Select name="kind" label="Kind of activity" placeholder="Choose a kind" state={form} options={activityKinds.map((value) => ({ value, label: activityKindLabels[value] }))} />
          <TextInput name="title" label="What was it?" hint="For example, “Evidence workshop with Lambeth social workers”." state={form} />
          <TextInput name="occurredOn" label="Date" type="date" widthClass="nhsuk-input--width-10" state={form} />
          <TextInput name="hours" label="Hours" hint="Your time in hours, like 1.5." widthClass="nhsuk-input--width-4" state={form} />
          <Select name="organisationId" label="Partner organisation (optional)" placeholder="None" state={form} options={choices.organisations} />
          <Select name="themeId" label="Theme (optional)" placeholder="None" state={form} options={choices.themes} />
          <Select name="needId" label="Need (optional)" placeholder="None" state={form} options={choices.needs} />
          <TextArea name="notes" label="Notes (optional)" rows={3} state={form} />
          <Button>Log activity</Button>
        </form>
      </div>
    </details>
    <h2>Logged activities</h2>
    <form method="get" action="/activities" class="app-filters" aria-label="Filter activities">
      <Select name="kind" label="Kind" placeholder="Any kind" state={filters} options={activityKinds.map((value) => ({ value, label: activityKindLabels[value] }))} />
      <Select name="fellowId" label="Fellow" placeholder="Everyone" state={filters} options={choices.fellows} />
      <TextInput name="from" label="From" type="date" state={filters} />
      <TextInput name="to" label="To" type="date" state={filters} />
      <Button secondary>Filter</Button>
    </form>
    <p class="nhsuk-body-s" id="activities-count">
      {total === 1 ? '1 activity' : `${total} activities`}, {hoursFormat.format(hours)} hours in all
    </p>
    {activities.length === 0 ? (
      <p>No activities to show.</p>
    ) : (
      <table class="nhsuk-table-responsive" id="activities">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Activities, most recent first</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="col">Date</th>
            <th class="nhsuk-table__header" scope="col">Activity</th>
            <th class="nhsuk-table__header" scope="col">Kind</th>
            <th class="nhsuk-table__header" scope="col">Partner and theme</th>
            <th class="nhsuk-table__header" scope="col">Fellow</th>
            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Hours</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {activities.map((activity) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Date </span>
                {formatDate(activity.occurredOn)}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Activity </span>
                {activity.title}
                {activity.isAutomatic ? <strong class="nhsuk-tag nhsuk-tag--grey nhsuk-u-margin-left-2">Automatic</strong> : null}
                {activity.need ? (
                  <>
                    <br />
                    <a class="nhsuk-body-s" href={`/needs/${activity.need.id}`}>
                      {activity.need.reference}
                    </a>
                  </>
                ) : null}
                {activity.notes ? <p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{activity.notes}</p> : null}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Kind </span>
                {activityKindLabels[activity.kind]}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Partner and theme </span>
                {[activity.organisation?.name, activity.theme?.name].filter(Boolean).join('; ') || 'None'}
              </td>
              <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Fellow </span>
                {activity.fellow.name}
              </td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">Hours </span>
                {hoursFormat.format(activity.hours)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);
