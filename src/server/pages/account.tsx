import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApiTokenId } from '../../core/shared/ids.js';
import { isUuid } from '../../core/shared/ids.js';
import { AppError, type FieldErrors } from '../../core/shared/errors.js';
import type { Services } from '../../compose.js';
import { emptyForm } from '../../web/components/form.js';
import { AccountPage } from '../../web/pages/accounts/account-page.js';
import type { AppEnv } from '../context.js';
import { formBody, formFlag, formList, formText, parseWith } from '../validation.js';
import type { ThemeId } from '../../core/shared/ids.js';
import { actorOf, handleForm, pageContext, render } from './render.js';

const tokenNameSchema = z.object({ name: z.string().trim().min(1, 'Enter a name for the token').max(100) });

export const accountPages = ({ accounts, directory, digests }: Services) => {
  const app = new Hono<AppEnv>();

  const renderAccount = async (
    c: Context<AppEnv>,
    extra: { passwordErrors?: FieldErrors; tokenErrors?: FieldErrors; newToken?: string; notice?: string; profileErrors?: FieldErrors; profileValues?: Record<string, string | string[]> } = {},
    status: 200 | 422 = 200,
  ) => {
    const identity = c.get('identity');
    if (!identity) {
      throw new AppError('auth.unauthenticated', 'Sign in to continue');
    }
    const [tokens, person, themes, wantsDigest] = await Promise.all([
      accounts.listApiTokens(identity.actor),
      directory.getMyProfile(identity.actor),
      directory.listThemes(identity.actor),
      digests.wantsDigest(identity.actor),
    ]);
    const profile = person
      ? { form: { values: extra.profileValues ?? { expertise: person.expertise, themeIds: person.themeIds }, errors: extra.profileErrors ?? {} }, themes }
      : undefined;
    return render(
      c,
      <AccountPage
        context={pageContext(c)}
        email={identity.user.email}
        passwordForm={{ values: {}, errors: extra.passwordErrors ?? {} }}
        tokenForm={extra.tokenErrors ? { values: {}, errors: extra.tokenErrors } : emptyForm()}
        tokens={tokens}
        newToken={extra.newToken}
        notice={extra.notice}
        profile={profile}
        wantsDigest={wantsDigest}
      />,
      status,
    );
  };

  app.get('/account', (c) =>
    renderAccount(c, {
      ...(c.req.query('changed') ? { notice: 'Your password has been changed. Your other sessions were signed out.' } : {}),
      ...(c.req.query('profile') ? { notice: 'Your expertise has been saved.' } : {}),
      ...(c.req.query('digest') ? { notice: 'Your email choice has been saved.' } : {}),
    }),
  );

  app.post('/account/digest', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    await digests.setWantsDigest(actorOf(c), formFlag(body, 'wantsDigest'));
    return c.redirect('/account?digest=1', 303);
  });

  app.post('/account/profile', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    return handleForm(
      () => directory.updateMyProfile(actorOf(c), { expertise: (formText(body, 'expertise') ?? '').slice(0, 2000), themeIds: formList(body, 'themeIds') as ThemeId[] }),
      (errors) => renderAccount(c, { profileErrors: errors, profileValues: body }, 422),
      () => c.redirect('/account?profile=1', 303),
    );
  });

  app.post('/account/password', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const currentPassword = formText(body, 'currentPassword') ?? '';
    const newPassword = formText(body, 'newPassword') ?? '';
    return handleForm(
      async () => {
        if (!currentPassword) {
          throw new AppError('validation.failed', 'Missing password', { fields: { currentPassword: 'Enter your current password' } });
        }
        await accounts.changePassword(actorOf(c), { currentPassword, newPassword, currentSessionToken: c.get('identity')?.sessionToken });
      },
      (errors) => renderAccount(c, { passwordErrors: errors }, 422),
      () => c.redirect('/account?changed=1', 303),
    );
  });

  app.post('/account/tokens', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    let created: { token: string } | undefined;
    try {
      created = await accounts.createApiToken(actorOf(c), parseWith(tokenNameSchema, { name: formText(body, 'name') ?? '' }).name);
    } catch (error) {
      const fields = error instanceof AppError ? error.details?.fields : undefined;
      if (fields) {
        return renderAccount(c, { tokenErrors: fields }, 422);
      }
      throw error;
    }
    // Rendered, not redirected: the plain token exists only in this response and is never stored.
    return renderAccount(c, { newToken: created.token });
  });

  app.post('/account/tokens/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) {
      throw new AppError('auth.token_invalid', 'No such token');
    }
    await accounts.revokeApiToken(actorOf(c), id as ApiTokenId);
    return c.redirect('/account', 303);
  });

  return app;
};
