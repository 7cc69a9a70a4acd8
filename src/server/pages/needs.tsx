import { Hono, type Context } from 'hono';
import { isStaff, type Actor } from '../../core/accounts/roles.js';
import { commentInputSchema, needFilterSchema, needInputSchema, statusChangeSchema, triageInputSchema } from '../../core/needs/need.schema.js';
import { canCommentOnNeed, canEditNeed } from '../../core/needs/permissions.js';
import type { NeedId } from '../../core/shared/ids.js';
import type { FieldErrors } from '../../core/shared/errors.js';
import { isUuid } from '../../core/shared/ids.js';
import { AppError } from '../../core/shared/errors.js';
import type { Services } from '../../compose.js';
import { emptyForm } from '../../web/components/form.js';
import { NeedFormPage } from '../../web/pages/needs/need-form-page.js';
import { NeedPage, type NeedPageForm } from '../../web/pages/needs/need-page.js';
import { NeedsListPage } from '../../web/pages/needs/needs-list-page.js';
import type { AppEnv } from '../context.js';
import { formBody, formFlag, formList, formText, parseWith, type FormBody } from '../validation.js';
import { actorOf, handleForm, pageContext, render } from './render.js';
import { toHitViews } from '../search-runner.js';
import type { RecordId } from '../../core/shared/ids.js';

const needIdOf = (c: Context<AppEnv>): NeedId => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError('need.not_found', 'No such need');
  }
  return id as NeedId;
};

/** Maps the need form's fields to the shared input schema's shape. */
const needFromForm = (body: FormBody) => ({
  title: formText(body, 'title') ?? '',
  question: formText(body, 'question') ?? '',
  decision: formText(body, 'decision') ?? '',
  decisionMaker: formText(body, 'decisionMaker'),
  population: formText(body, 'population'),
  setting: formText(body, 'setting'),
  triedSoFar: formText(body, 'triedSoFar'),
  deadlineOn: formText(body, 'deadlineOn'),
  urgency: formText(body, 'urgency'),
  audiences: formList(body, 'audiences'),
  themeIds: formList(body, 'themeIds'),
  organisationId: formText(body, 'organisationId'),
  requesterId: formText(body, 'requesterId'),
  isPublic: formFlag(body, 'isPublic'),
  shareWithArcs: formFlag(body, 'shareWithArcs'),
});

export const needPages = (services: Services) => {
  const { needs, triage, directory, accounts, matching, reviews, briefings } = services;
  const app = new Hono<AppEnv>();

  const onBehalfChoices = async (actor: Actor) => {
    if (!isStaff(actor.role)) {
      return undefined;
    }
    const [users, organisations] = await Promise.all([accounts.listUsers(actor), directory.listOrganisations(actor)]);
    const names = new Map(organisations.map((organisation) => [organisation.id as string, organisation.name]));
    const requesters = users
      .filter((user) => user.role === 'requester' && user.id !== actor.userId)
      .map((user) => ({ id: user.id, name: user.name, organisationName: user.organisationId ? names.get(user.organisationId) : undefined }));
    return { requesters, organisations };
  };

  const renderForm = async (c: Context<AppEnv>, values: FormBody, errors: FieldErrors, status: 200 | 422) => {
    const actor = actorOf(c);
    const [themes, onBehalf] = await Promise.all([directory.listThemes(actor), onBehalfChoices(actor)]);
    return render(c, <NeedFormPage context={pageContext(c)} form={{ values, errors }} themes={themes} onBehalf={onBehalf} />, status);
  };

  app.get('/needs/new', (c) => renderForm(c, { urgency: 'routine' }, {}, 200));

  app.post('/needs', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    return handleForm(
      () => needs.submitNeed(actorOf(c), parseWith(needInputSchema, needFromForm(body))),
      (errors) => renderForm(c, body, errors, 422),
      (need) => c.redirect(`/needs/${need.id}`, 303),
    );
  });

  app.get('/needs/mine', async (c) => {
    const actor = actorOf(c);
    const { needs: list, total } = await needs.listNeeds(actor, { mine: true, limit: 200, offset: 0 });
    return render(
      c,
      <NeedsListPage
        context={pageContext(c)}
        title="My needs"
        intro={isStaff(actor.role) ? 'Needs you asked for or are assigned to.' : 'The questions you have asked, and where each one has got to.'}
        needs={list}
        total={total}
      />,
    );
  });

  app.get('/needs', async (c) => {
    const actor = actorOf(c);
    const query = c.req.query();
    const values = { status: query.status, themeId: query.themeId, urgency: query.urgency };
    const parsed = needFilterSchema.safeParse({
      status: values.status || undefined,
      themeId: values.themeId || undefined,
      urgency: values.urgency || undefined,
      limit: 200,
      offset: 0,
    });
    const filter = parsed.success ? parsed.data : { limit: 200, offset: 0 };
    const [{ needs: list, total }, themes] = await Promise.all([needs.listNeeds(actor, filter), directory.listThemes(actor)]);
    const staff = isStaff(actor.role);
    return render(
      c,
      <NeedsListPage
        context={pageContext(c)}
        title={staff ? 'Triage queue' : 'Needs you can see'}
        intro={staff ? 'Every need, soonest deadline first. Filter to find the ones to triage.' : 'Needs from your organisation and needs shared publicly.'}
        needs={list}
        total={total}
        filters={{ form: emptyForm(values), themes }}
      />,
    );
  });

  const renderNeed = async (c: Context<AppEnv>, forms: Partial<Record<NeedPageForm, { values: FormBody; errors: FieldErrors }>> = {}, status: 200 | 409 | 422 = 200) => {
    const actor = actorOf(c);
    const id = needIdOf(c);
    const need = await needs.getNeed(actor, id);
    // The matched evidence can be narrowed to one of the need's own themes (`?themeId=`); anything else shows it all.
    const themeFilter = need.themes.find((theme) => theme.id === c.req.query('themeId'));
    const [comments, history, matches, pinned, similar] = await Promise.all([
      needs.listComments(actor, id),
      needs.listHistory(actor, id),
      matching.matchEvidence(actor, id, { limit: 5, filters: themeFilter ? { themeIds: [themeFilter.id] } : {} }),
      matching.listPinned(actor, id),
      matching.similarNeeds(actor, id, 5),
    ]);
    const people = await matching.matchPeople(actor, id, 5);
    let staff;
    if (isStaff(actor.role)) {
      const [users, open, linkedReviews, linkedBriefings] = await Promise.all([
        accounts.listUsers(actor),
        needs.listNeeds(actor, { limit: 200, offset: 0 }),
        reviews.listReviews(actor, { needId: id }),
        briefings.list(actor, { needId: id }),
      ]);
      staff = {
        fellows: users.filter((user) => isStaff(user.role)).map((user) => ({ id: user.id, name: user.name })),
        mergeTargets: open.needs.filter((other) => other.id !== id && other.status !== 'closed'),
        reviews: linkedReviews,
        briefings: linkedBriefings,
      };
    }
    return render(
      c,
      <NeedPage
        context={pageContext(c)}
        need={need}
        comments={comments}
        history={history}
        canComment={canCommentOnNeed(actor, need)}
        canEdit={canEditNeed(actor, need)}
        staff={staff}
        forms={forms}
        matching={{
          hits: toHitViews(matches.hits, matches.terms),
          total: matches.total,
          matching: matches.matching,
          expandedWith: matches.expandedWith,
          query: matches.query,
          pinned,
          similar,
          people,
          themeFilter,
        }}
      />,
      status,
    );
  };

  app.get('/needs/:id', (c) => renderNeed(c));

  const renderEdit = async (c: Context<AppEnv>, values: FormBody | undefined, errors: FieldErrors, status: 200 | 422) => {
    const actor = actorOf(c);
    const need = await needs.getNeed(actor, needIdOf(c));
    if (!canEditNeed(actor, need)) {
      throw new AppError('auth.forbidden', 'This need can no longer be edited by you');
    }
    const current: FormBody = {
      title: need.title,
      question: need.question,
      decision: need.decision,
      decisionMaker: need.decisionMaker,
      population: need.population,
      setting: need.setting,
      triedSoFar: need.triedSoFar,
      deadlineOn: need.deadlineOn ?? '',
      urgency: need.urgency,
      audiences: need.audiences,
      themeIds: need.themes.map((theme) => theme.id),
      isPublic: need.isPublic ? 'true' : '',
      shareWithArcs: need.shareWithArcs ? 'true' : '',
    };
    const themes = await directory.listThemes(actor);
    return render(
      c,
      <NeedFormPage context={pageContext(c)} form={{ values: values ?? current, errors }} themes={themes} editing={{ action: `/needs/${need.id}/edit`, reference: need.reference }} />,
      status,
    );
  };

  app.get('/needs/:id/edit', (c) => renderEdit(c, undefined, {}, 200));

  app.post('/needs/:id/edit', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const id = needIdOf(c);
    return handleForm(
      () => needs.editNeed(actorOf(c), id, parseWith(needInputSchema, { ...needFromForm(body), requesterId: undefined, organisationId: undefined })),
      (errors) => renderEdit(c, body, errors, 422),
      () => c.redirect(`/needs/${id}`, 303),
    );
  });

  const recordIdOf = (c: Context<AppEnv>): RecordId => {
    const id = c.req.param('recordId') ?? '';
    if (!isUuid(id)) {
      throw new AppError('record.not_found', 'No such record');
    }
    return id as RecordId;
  };

  app.post('/needs/:id/evidence/:recordId/pin', async (c) => {
    const id = needIdOf(c);
    await matching.pinEvidence(actorOf(c), id, recordIdOf(c));
    return c.redirect(`/needs/${id}#pinned-heading`, 303);
  });

  app.post('/needs/:id/evidence/:recordId/unpin', async (c) => {
    const id = needIdOf(c);
    await matching.unpinEvidence(actorOf(c), id, recordIdOf(c));
    return c.redirect(`/needs/${id}#pinned-heading`, 303);
  });

  app.post('/needs/:id/comments', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const id = needIdOf(c);
    return handleForm(
      () => needs.addComment(actorOf(c), id, parseWith(commentInputSchema, { body: formText(body, 'body') ?? '', isInternal: formFlag(body, 'isInternal') })),
      (errors) => renderNeed(c, { comment: { values: body, errors } }, 422),
      (comment) => c.redirect(`/needs/${id}#comment-${comment.id}`, 303),
    );
  });

  app.post('/needs/:id/triage', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const id = needIdOf(c);
    const action = formText(body, 'action');
    const form: NeedPageForm = action === 'decline' ? 'decline' : action === 'merge' ? 'merge' : 'accept';
    const input = {
      action,
      tier: formText(body, 'tier'),
      supportKinds: formList(body, 'supportKinds'),
      fellowIds: formList(body, 'fellowIds'),
      reason: formText(body, 'reason') ?? '',
      targetId: formText(body, 'targetId'),
    };
    return handleForm(
      () => triage.triageNeed(actorOf(c), id, parseWith(triageInputSchema, input)),
      (errors) => renderNeed(c, { [form]: { values: body, errors } }, 422),
      () => c.redirect(`/needs/${id}`, 303),
    );
  });

  app.post('/needs/:id/status', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const id = needIdOf(c);
    return handleForm(
      () => triage.changeStatus(actorOf(c), id, parseWith(statusChangeSchema, { status: formText(body, 'status') })),
      (errors) => renderNeed(c, { status: { values: body, errors } }, 422),
      () => c.redirect(`/needs/${id}`, 303),
    );
  });

  app.post('/needs/:id/assign', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const id = needIdOf(c);
    const fellowIds = formList(body, 'assignFellowIds');
    return handleForm(
      async () => {
        if (fellowIds.length === 0) {
          throw new AppError('validation.failed', 'No fellows chosen', { fields: { assignFellowIds: 'Choose at least one fellow' } });
        }
        return triage.assignFellows(actorOf(c), id, fellowIds);
      },
      (errors) => renderNeed(c, { assign: { values: body, errors: { assignFellowIds: errors.assignFellowIds ?? errors.fellowIds ?? 'Choose fellows from the list' } } }, 422),
      () => c.redirect(`/needs/${id}`, 303),
    );
  });

  return app;
};
