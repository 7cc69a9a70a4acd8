import type { ApiToken } from '../../../core/accounts/types.js';
import { roleLabels } from '../../../core/accounts/roles.js';
import { Button, Choices, CsrfField, ErrorSummary, TextArea, TextInput, type FormState } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

interface AccountPageProps {
  context: PageContext;
  email: string;
  passwordForm: FormState;
  tokenForm: FormState;
  tokens: ApiToken[];
  newToken?: string | undefined;
  notice?: string | undefined;
  /** The person's expertise profile, when the account has a person record. */
  profile?: { form: FormState; themes: { id: string; name: string }[] } | undefined;
  wantsDigest?: boolean;
}

export const AccountPage = ({ context, email, passwordForm, tokenForm, tokens, newToken, notice, profile, wantsDigest = false }: AccountPageProps) => {
  const errors = { ...passwordForm.errors, ...tokenForm.errors };
  return (
    <Layout title="Your account" context={context} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Your account</h1>
      {notice ? (
        <div class="nhsuk-inset-text">
          <p>{notice}</p>
        </div>
      ) : null}
      <dl class="nhsuk-summary-list">
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Name</dt>
          <dd class="nhsuk-summary-list__value">{context.actor?.name}</dd>
        </div>
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Email address</dt>
          <dd class="nhsuk-summary-list__value">{email}</dd>
        </div>
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Role</dt>
          <dd class="nhsuk-summary-list__value">{context.actor ? roleLabels[context.actor.role] : ''}</dd>
        </div>
      </dl>

      {profile ? (
        <>
          <h2>Your expertise</h2>
          <p>Fellows use this to find people for needs. Matching also reads the titles of records you wrote.</p>
          <form method="post" action="/account/profile" novalidate>
            <CsrfField token={context.csrfToken} />
            <TextArea name="expertise" label="Topics and methods you know about" hint="For example: dementia, advance care planning, qualitative methods" rows={3} state={profile.form} />
            <Choices kind="checkbox" name="themeIds" label="Research themes" small state={profile.form} options={profile.themes.map((theme) => ({ value: theme.id, label: theme.name }))} />
            <Button secondary>Save expertise</Button>
          </form>
        </>
      ) : null}
      <h2>New evidence by email</h2>
      <form method="post" action="/account/digest">
        <CsrfField token={context.csrfToken} />
        <Choices
          kind="checkbox"
          name="wantsDigest"
          label="Digest"
          small
          state={{ values: { wantsDigest: wantsDigest ? 'true' : '' }, errors: {} }}
          options={[{ value: 'true', label: 'Email me a digest when new evidence matches my needs and saved searches' }]}
        />
        <Button secondary>Save email choice</Button>
      </form>
      <h2>Change your password</h2>
      <form method="post" action="/account/password" novalidate>
        <CsrfField token={context.csrfToken} />
        <TextInput name="currentPassword" label="Current password" type="password" autocomplete="current-password" state={passwordForm} />
        <TextInput
          name="newPassword"
          label="New password"
          type="password"
          autocomplete="new-password"
          hint="At least 10 characters. A few unrelated words make a strong password."
          state={passwordForm}
        />
        <Button>Change password</Button>
      </form>

      <h2>Personal API tokens</h2>
      <p>Scripts use a token to call the Mobilise API as you. Keep tokens secret; revoke any you no longer use.</p>
      {newToken ? (
        <div class="nhsuk-inset-text">
          <p>Copy your new token now. It will not be shown again:</p>
          <p>
            <code id="new-token">{newToken}</code>
          </p>
        </div>
      ) : null}
      {tokens.length > 0 ? (
        <table class="nhsuk-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Your API tokens</caption>
          <thead class="nhsuk-table__head">
            <tr class="nhsuk-table__row">
              <th class="nhsuk-table__header" scope="col">Name</th>
              <th class="nhsuk-table__header" scope="col">Starts with</th>
              <th class="nhsuk-table__header" scope="col">Last used</th>
              <th class="nhsuk-table__header" scope="col">Action</th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {tokens.map((token) => (
              <tr class="nhsuk-table__row">
                <td class="nhsuk-table__cell">{token.name}</td>
                <td class="nhsuk-table__cell">
                  <code>{token.prefix}…</code>
                </td>
                <td class="nhsuk-table__cell">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                <td class="nhsuk-table__cell">
                  {token.revokedAt ? (
                    'Revoked'
                  ) : (
                    <form method="post" action={`/account/tokens/${token.id}/revoke`}>
                      <CsrfField token={context.csrfToken} />
                      <Button secondary>
                        Revoke<span class="nhsuk-u-visually-hidden"> {token.name}</span>
                      </Button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form method="post" action="/account/tokens" novalidate>
        <CsrfField token={context.csrfToken} />
        <TextInput name="name" label="Token name" hint="For example, the script that will use it" state={tokenForm} />
        <Button secondary>Create token</Button>
      </form>
    </Layout>
  );
};
