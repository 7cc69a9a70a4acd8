import type { Organisation, Theme } from '../../../core/organisations/types.js';
import { audienceLabels, audiences, urgencies, urgencyLabels } from '../../../core/needs/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextArea, TextInput, type FormState } from '../../components/form.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export const needFieldOrder = [
  'title',
  'question',
  'decision',
  'decisionMaker',
  'population',
  'setting',
  'triedSoFar',
  'deadlineOn',
  'urgency',
  'audiences',
  'themeIds',
  'requesterId',
  'organisationId',
  'isPublic',
  'shareWithArcs',
];

interface NeedFormPageProps {
  context: PageContext;
  form: FormState;
  themes: Theme[];
  /** Staff may post on someone's behalf: the accounts and organisations to choose from. */
  onBehalf?: { requesters: { id: string; name: string; organisationName: string | undefined }[]; organisations: Organisation[] } | undefined;
  /** Editing an existing need: where the form posts and what it is called. */
  editing?: { action: string; reference: string } | undefined;
}

export const NeedFormPage = ({ context, form, themes, onBehalf, editing }: NeedFormPageProps) => (
  <Layout title={editing ? `Edit ${editing.reference}` : 'Ask for evidence'} context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={needFieldOrder} />
        {editing ? <span class="nhsuk-caption-l">{editing.reference}</span> : null}
        <h1>{editing ? 'Edit your need' : 'Ask for evidence'}</h1>
        {editing ? null : <p>Tell us what you need to know and the decision it will inform. A knowledge mobilisation fellow will reply within 5 working days.</p>}
        <form method="post" action={editing?.action ?? '/needs'} novalidate>
          <CsrfField token={context.csrfToken} />
          <TextInput name="title" label="Short title" hint="For example: Reducing falls in care homes" state={form} />
          <TextArea name="question" label="What do you want to know?" hint="Your question in your own words" state={form} />
          <TextArea name="decision" label="What decision will the answer inform?" rows={3} state={form} />
          <TextInput name="decisionMaker" label="Who makes that decision?" hint="For example: the Adult Social Care commissioning board" state={form} />
          <TextArea name="population" label="Who is it about?" hint="The people or population, for example adults over 65 living alone" rows={2} state={form} />
          <TextArea name="setting" label="In what setting?" hint="For example: primary care, care homes, schools, the community" rows={2} state={form} />
          <TextArea name="triedSoFar" label="What has been tried already?" rows={3} state={form} />
          <TextInput name="deadlineOn" label="When do you need an answer by?" type="date" hint="Leave blank if there is no fixed date" widthClass="nhsuk-input--width-10" state={form} />
          <Choices kind="radio" name="urgency" label="How urgent is this?" state={form} options={urgencies.map((value) => ({ value, label: urgencyLabels[value] }))} />
          <Choices
            kind="checkbox"
            name="audiences"
            label="Who is the answer for?"
            hint="Select all that apply"
            state={form}
            options={audiences.map((value) => ({ value, label: audienceLabels[value] }))}
          />
          {themes.length > 0 ? (
            <Choices kind="checkbox" name="themeIds" label="Research themes" hint="Select any that fit" state={form} options={themes.map((theme) => ({ value: theme.id, label: theme.name }))} />
          ) : null}
          {onBehalf && !editing ? (
            <>
              <Select
                name="requesterId"
                label="Requester (if you are posting on someone's behalf)"
                placeholder="Myself"
                state={form}
                options={onBehalf.requesters.map((person) => ({ value: person.id, label: person.organisationName ? `${person.name}, ${person.organisationName}` : person.name }))}
              />
              <Select
                name="organisationId"
                label="Organisation"
                hint="Defaults to the requester's organisation"
                placeholder="The requester's organisation"
                state={form}
                options={onBehalf.organisations.map((organisation) => ({ value: organisation.id, label: organisation.name }))}
              />
            </>
          ) : null}
          <Choices
            kind="checkbox"
            name="isPublic"
            label="Visibility"
            state={form}
            options={[{ value: 'true', label: 'Show this need to everyone using Mobilise', hint: 'Others can reuse the answer and avoid duplicate work' }]}
          />
          <Choices
            kind="checkbox"
            name="shareWithArcs"
            label="Sharing with other ARCs"
            state={form}
            options={[{ value: 'true', label: 'I agree that this need may be shared with other Applied Research Collaborations' }]}
          />
          <Button>{editing ? 'Save changes' : 'Send request'}</Button>
        </form>
      </div>
    </div>
  </Layout>
);
