import { Hono } from 'hono';
import { canManageDirectory } from '../../core/accounts/roles.js';
import { AppError } from '../../core/shared/errors.js';
import type { OrganisationId } from '../../core/shared/ids.js';
import { isUuid } from '../../core/shared/ids.js';
import type { Services } from '../../compose.js';
import { emptyForm } from '../../web/components/form.js';
import { OrganisationPage, OrganisationsPage, ThemesPage } from '../../web/pages/organisations/organisations-page.js';
import type { AppEnv } from '../context.js';
import { organisationInput, themeInput } from '../api/schemas.js';
import { formBody, formText, parseWith } from '../validation.js';
import { actorOf, handleForm, pageContext, render } from './render.js';

export const directoryPages = ({ directory }: Services) => {
  const app = new Hono<AppEnv>();

  app.get('/organisations', async (c) => {
    const actor = actorOf(c);
    const organisations = await directory.listOrganisations(actor);
    return render(c, <OrganisationsPage context={pageContext(c)} organisations={organisations} form={canManageDirectory(actor.role) ? emptyForm() : undefined} />);
  });

  app.post('/organisations', async (c) => {
    const actor = actorOf(c);
    const body = formBody(await c.req.parseBody({ all: true }));
    return handleForm(
      () => directory.createOrganisation(actor, parseWith(organisationInput, { name: formText(body, 'name') ?? '', type: formText(body, 'type'), website: formText(body, 'website') })),
      async (errors) =>
        render(c, <OrganisationsPage context={pageContext(c)} organisations={await directory.listOrganisations(actor)} form={{ values: body, errors }} />, 422),
      (organisation) => c.redirect(`/organisations/${organisation.id}`, 303),
    );
  });

  app.get('/organisations/:id', async (c) => {
    const actor = actorOf(c);
    const id = c.req.param('id');
    if (!isUuid(id)) {
      throw new AppError('organisation.not_found', 'No such organisation');
    }
    const [{ organisation, people }, themes] = await Promise.all([directory.getOrganisation(actor, id as OrganisationId), directory.listThemes(actor)]);
    return render(c, <OrganisationPage context={pageContext(c)} organisation={organisation} people={people} themes={themes} />);
  });

  app.get('/themes', async (c) => {
    const actor = actorOf(c);
    const themes = await directory.listThemes(actor);
    return render(c, <ThemesPage context={pageContext(c)} themes={themes} form={canManageDirectory(actor.role) ? emptyForm() : undefined} />);
  });

  app.post('/themes', async (c) => {
    const actor = actorOf(c);
    const body = formBody(await c.req.parseBody({ all: true }));
    return handleForm(
      () => directory.createTheme(actor, parseWith(themeInput, { name: formText(body, 'name') ?? '', description: formText(body, 'description') })),
      async (errors) => render(c, <ThemesPage context={pageContext(c)} themes={await directory.listThemes(actor)} form={{ values: body, errors }} />, 422),
      () => c.redirect('/themes', 303),
    );
  });

  return app;
};
