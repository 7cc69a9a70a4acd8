import { organisationTypeLabels, organisationTypes, type Organisation, type Person, type Theme } from '../../../core/organisations/types.js';
import { Button, CsrfField, ErrorSummary, Select, TextArea, TextInput, type FormState } from '../../components/form.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export const OrganisationsPage = ({ context, organisations, form }: { context: PageContext; organisations: Organisation[]; form?: FormState | undefined }) => (
  <Layout title="Partner organisations" context={context} hasErrors={Object.keys(form?.errors ?? {}).length > 0}>
    {form ? <ErrorSummary errors={form.errors} order={['name', 'type', 'website']} /> : null}
    <h1>Partner organisations</h1>
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Partner organisations</caption>
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          <th class="nhsuk-table__header" scope="col">Organisation</th>
          <th class="nhsuk-table__header" scope="col">Type</th>
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {organisations.map((organisation) => (
          <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">
              <a href={`/organisations/${organisation.id}`}>{organisation.name}</a>
            </td>
            <td class="nhsuk-table__cell">{organisationTypeLabels[organisation.type]}</td>
          </tr>
        ))}
      </tbody>
    </table>
    {form ? (
      <>
        <h2>Add an organisation</h2>
        <form method="post" action="/organisations" novalidate>
          <CsrfField token={context.csrfToken} />
          <TextInput name="name" label="Name" state={form} />
          <Select name="type" label="Type" placeholder="Choose a type" state={form} options={organisationTypes.map((value) => ({ value, label: organisationTypeLabels[value] }))} />
          <TextInput name="website" label="Website (optional)" type="url" state={form} />
          <Button secondary>Add organisation</Button>
        </form>
      </>
    ) : null}
  </Layout>
);

export const OrganisationPage = ({ context, organisation, people, themes }: { context: PageContext; organisation: Organisation; people: Person[]; themes: Theme[] }) => {
  const themeNames = new Map(themes.map((theme) => [theme.id as string, theme.name]));
  return (
    <Layout title={organisation.name} context={context}>
      <span class="nhsuk-caption-l">{organisationTypeLabels[organisation.type]}</span>
      <h1>{organisation.name}</h1>
      {organisation.website ? (
        <p>
          <a href={organisation.website}>{organisation.website}</a>
        </p>
      ) : null}
      <h2>People</h2>
      {people.length === 0 ? (
        <p>No people recorded yet.</p>
      ) : (
        <ul class="nhsuk-list nhsuk-list--bullet">
          {people.map((person) => (
            <li>
              {person.name}
              {person.jobTitle ? `, ${person.jobTitle}` : ''}
              {person.themeIds.length > 0 ? ` (${person.themeIds.map((id) => themeNames.get(id) ?? '').join(', ')})` : ''}
              {/* The core gives an email address to staff only. */}
              {person.email ? (
                <>
                  {': '}
                  <a href={`mailto:${person.email}`}>{person.email}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
};

export const ThemesPage = ({ context, themes, form }: { context: PageContext; themes: Theme[]; form?: FormState | undefined }) => (
  <Layout title="Research themes" context={context} hasErrors={Object.keys(form?.errors ?? {}).length > 0}>
    {form ? <ErrorSummary errors={form.errors} order={['name', 'description']} /> : null}
    <h1>Research themes</h1>
    <dl class="nhsuk-summary-list">
      {themes.map((theme) => (
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">{theme.name}</dt>
          <dd class="nhsuk-summary-list__value">{theme.description}</dd>
        </div>
      ))}
    </dl>
    {form ? (
      <>
        <h2>Add a theme</h2>
        <form method="post" action="/themes" novalidate>
          <CsrfField token={context.csrfToken} />
          <TextInput name="name" label="Name" state={form} />
          <TextArea name="description" label="Description (optional)" rows={2} state={form} />
          <Button secondary>Add theme</Button>
        </form>
      </>
    ) : null}
  </Layout>
);
