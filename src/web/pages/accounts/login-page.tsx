import { Button, CsrfField, ErrorSummary, TextInput, type FormState } from '../../components/form.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export const LoginPage = ({ context, form, next }: { context: PageContext; form: FormState; next: string | undefined }) => (
  <Layout title="Sign in" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={['email', 'password']} />
        <h1>Sign in to Mobilise</h1>
        <p>Ask for evidence, follow your requests and talk to the knowledge mobilisation team.</p>
        <form method="post" action="/login" novalidate>
          <CsrfField token={context.csrfToken} />
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <TextInput name="email" label="Email address" type="email" autocomplete="email" state={form} />
          <TextInput name="password" label="Password" type="password" autocomplete="current-password" state={form} />
          <Button>Sign in</Button>
        </form>
      </div>
    </div>
  </Layout>
);
