import { impactDifferenceLabels, impactDifferences, impactUseLabels, impactUses, type Followup } from '../../../core/impact/types.js';
import { Button, Choices, CsrfField, ErrorSummary, TextArea, type FormState } from '../../components/form.js';
import { formatDate } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export type FollowupFormView = 'open' | 'answered' | 'already_answered' | 'expired';

interface FollowupFormPageProps {
  context: PageContext;
  token: string;
  followup: Followup;
  view: FollowupFormView;
  expiresOn: string;
  form: FormState;
}

const after = (months: number) => `${months} month${months === 1 ? '' : 's'}`;

/** The follow-up form, reached by the link in the email: no account needed. */
export const FollowupFormPage = ({ context, token, followup, view, expiresOn, form }: FollowupFormPageProps) => {
  const hasErrors = Object.keys(form.errors).length > 0;
  const title = view === 'open' ? 'Did our evidence help?' : view === 'expired' ? 'This link has expired' : 'Thank you';
  return (
    <Layout title={title} context={context} hasErrors={hasErrors}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={form.errors} order={['uses', 'differences', 'detail', 'notUsedReason']} />
          <span class="nhsuk-caption-l">
            {followup.need.reference}: {followup.need.title}
          </span>
          <h1>{title}</h1>
          {view === 'open' ? (
            <>
              <p>
                About {after(followup.months)} ago the knowledge mobilisation team sent you{' '}
                {followup.briefing ? `“${followup.briefing.title}”` : 'an answer'} to your question. Please tell us whether and how it has been used. It takes a
                couple of minutes, and you do not need an account.
              </p>
              <form method="post" action={`/followups/${token}`} novalidate>
                <CsrfField token={context.csrfToken} />
                <Choices
                  kind="checkbox"
                  name="uses"
                  label="How has it been used?"
                  hint="Choose all that apply."
                  state={form}
                  options={impactUses.map((value) => ({ value, label: impactUseLabels[value] }))}
                />
                <Choices
                  kind="checkbox"
                  name="differences"
                  label="Has it made any other difference? (optional)"
                  hint="Choose all that apply."
                  state={form}
                  options={impactDifferences.map((value) => ({ value, label: impactDifferenceLabels[value] }))}
                />
                <TextArea
                  name="detail"
                  label="Tell us more (optional)"
                  hint="For example, the decision it informed, the service that changed, or who you shared it with."
                  state={form}
                  rows={4}
                />
                <TextArea
                  name="notUsedReason"
                  label="If you have not used it, why not?"
                  hint="For example, the decision was made before it arrived, or it did not answer your question."
                  state={form}
                  rows={3}
                />
                <Button>Send your answer</Button>
              </form>
              <p class="nhsuk-body-s">
                This link works until {formatDate(expiresOn)}. We keep your answer with your question to report what difference our work makes; we do not
                publish it with your name.
              </p>
            </>
          ) : view === 'expired' ? (
            <p>
              Follow-up links work for 90 days after they are sent. We would still be glad to hear how our answer was used: reply to the knowledge mobilisation
              team by email, quoting {followup.need.reference}.
            </p>
          ) : (
            <>
              <p id="followup-answered">
                {view === 'already_answered'
                  ? 'This follow-up has been answered already, so we have kept the first answer.'
                  : 'Your answer has been recorded. It helps us show what difference evidence makes, and improve what we do.'}
              </p>
              <p>If you want to tell us more, contact the knowledge mobilisation team, quoting {followup.need.reference}.</p>
            </>
          )}
        </div>
      </div>
    </Layout>
  );
};
