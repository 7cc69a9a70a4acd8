import { Hono, type Context } from 'hono';
import { isStaff, type Actor } from '../../core/accounts/roles.js';
import { activityFilterSchema, activityInputSchema } from '../../core/activities/activity.schema.js';
import { londonDate } from '../../core/dashboard/calendar.js';
import { dashboardRangeSchema } from '../../core/dashboard/dashboard.js';
import type { DashboardRange } from '../../core/dashboard/ports.js';
import { linkExpiresOn } from '../../core/impact/followups.js';
import { followupAnswerSchema, impactFilterSchema, impactInputSchema, reclassifySchema } from '../../core/impact/impact.schema.js';
import type { Followup, FollowupId, ImpactRecordId } from '../../core/impact/types.js';
import { AppError, isAppError, type FieldErrors } from '../../core/shared/errors.js';
import { isUuid } from '../../core/shared/ids.js';
import { renderChartSvg } from '../../adapters/documents/charts.js';
import { dashboardCsv, figureCsv } from '../../adapters/documents/dashboard-csv.js';
import type { Services } from '../../compose.js';
import { emptyForm, type FormState } from '../../web/components/form.js';
import { ActivitiesPage } from '../../web/pages/impact/activities-page.js';
import { DashboardPage } from '../../web/pages/impact/dashboard-page.js';
import { FollowupFormPage, type FollowupFormView } from '../../web/pages/impact/followup-form-page.js';
import { FollowupLinkPage, FollowupsPage } from '../../web/pages/impact/followups-page.js';
import { ImpactFormPage, ImpactPage } from '../../web/pages/impact/impact-page.js';
import type { AppEnv } from '../context.js';
import { fieldErrors, formBody, formList, formText, parseWith, type FormBody } from '../validation.js';
import { actorOf, fieldErrorsOf, handleForm, pageContext, render } from './render.js';

const uuidParam = (c: Context<AppEnv>, code: 'followup.not_found' | 'impact.not_found'): string => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError(code, code === 'followup.not_found' ? 'No such follow-up' : 'No such impact record');
  }
  return id;
};

/** What the query's non-empty text values are, for filters that ignore anything they cannot read. */
const queryValues = (c: Context<AppEnv>): Record<string, string> => Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));

const download = (c: Context<AppEnv>, name: string, body: string, type: string) =>
  c.body(body, 200, { 'content-type': type, 'content-disposition': `attachment; filename="${name}"` });

/**
 * Follow-ups (the public form and the fellows' list), activities, impact records and the dashboard
 * (issue #6, items 5 to 7). `/followups/<token>` is open without an account (see `isOpenPage`).
 */
export const impactPages = (services: Services) => {
  const { followups, impact, activities, dashboard, directory, needs, accounts, clock } = services;
  const app = new Hono<AppEnv>();

  // The follow-up form, by its link. Its token is a credential: never cached, never sent on as a referrer.
  const renderAnswer = async (c: Context<AppEnv>, token: string, view: FollowupFormView | undefined, form: FormState, status: 200 | 409 | 422) => {
    const opened = await followups.open(token);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return render(
      c,
      <FollowupFormPage context={pageContext(c)} token={token} followup={opened.followup} view={view ?? opened.state} expiresOn={opened.expiresOn} form={form} />,
      status,
    );
  };

  app.get('/followups/:token', (c) => renderAnswer(c, c.req.param('token'), undefined, emptyForm(), 200));

  app.post('/followups/send', async (c) => {
    const result = await followups.sendDueNow(actorOf(c));
    return c.redirect(`/followups?sent=${result.sent}&kept=${result.kept}&failed=${result.failed}`, 303);
  });

  app.post('/followups/:token', async (c) => {
    const token = c.req.param('token');
    const body = formBody(await c.req.parseBody({ all: true }));
    const answer = { uses: formList(body, 'uses'), differences: formList(body, 'differences'), detail: formText(body, 'detail') ?? '', notUsedReason: formText(body, 'notUsedReason') };
    try {
      await followups.answer(token, parseWith(followupAnswerSchema, answer, 'answer'));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields) {
        return renderAnswer(c, token, 'open', { values: body, errors: fields }, 422);
      }
      if (isAppError(error) && (error.code === 'followup.already_answered' || error.code === 'followup.expired')) {
        return renderAnswer(c, token, error.code === 'followup.expired' ? 'expired' : 'already_answered', emptyForm(), 409);
      }
      throw error;
    }
    return c.redirect(`/followups/${token}`, 303);
  });

  const withExpiry = (list: Followup[]) => list.map((followup) => ({ followup, expiresOn: linkExpiresOn(followup, followups.linkDays) }));

  app.get('/followups', async (c) => {
    const actor = actorOf(c);
    const [due, awaiting, upcoming] = await Promise.all([followups.list(actor, 'due'), followups.list(actor, 'awaiting'), followups.list(actor, 'upcoming', 50)]);
    const counts = ['sent', 'kept', 'failed'].map((name) => Number.parseInt(c.req.query(name) ?? '', 10));
    const [sent = 0, kept = 0, failed = 0] = counts;
    return render(
      c,
      <FollowupsPage
        context={pageContext(c)}
        hasMailer={followups.hasMailer}
        due={withExpiry(due)}
        awaiting={withExpiry(awaiting)}
        upcoming={withExpiry(upcoming)}
        result={counts.every(Number.isFinite) ? { sent, kept, failed } : undefined}
      />,
    );
  });

  app.post('/followups/:id/link', async (c) => {
    const issued = await followups.issueLink(actorOf(c), uuidParam(c, 'followup.not_found') as FollowupId);
    c.header('cache-control', 'no-store');
    return render(
      c,
      <FollowupLinkPage context={pageContext(c)} followup={issued.followup} link={issued.link} message={issued.message} expiresOn={linkExpiresOn(issued.followup, followups.linkDays)} />,
    );
  });

  // Activities.
  const needOptions = async (actor: Actor) =>
    (await needs.listNeeds(actor, { limit: 200, offset: 0 })).needs.map((need) => ({ value: need.id, label: `${need.reference}: ${need.title}` }));

  const renderActivities = async (c: Context<AppEnv>, form: FormState, status: 200 | 422) => {
    const actor = actorOf(c);
    const values = queryValues(c);
    const parsed = activityFilterSchema.safeParse({ kind: values.kind, fellowId: values.fellowId, from: values.from, to: values.to, limit: 200, offset: 0 });
    const filter = parsed.success ? parsed.data : { limit: 200, offset: 0 };
    // The list checks the actor may see activities before anything else is read.
    const list = await activities.list(actor, filter);
    const [organisations, themes, needList, users] = await Promise.all([
      directory.listOrganisations(actor),
      directory.listThemes(actor),
      needOptions(actor),
      accounts.listUsers(actor),
    ]);
    const fellows = users.filter((user) => isStaff(user.role)).map((user) => ({ value: user.id as string, label: user.id === actor.userId ? `${user.name} (you)` : user.name }));
    return render(
      c,
      <ActivitiesPage
        context={pageContext(c)}
        form={form}
        filters={emptyForm({ kind: values.kind, fellowId: values.fellowId, from: values.from, to: values.to })}
        choices={{
          organisations: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })),
          themes: themes.map((theme) => ({ value: theme.id, label: theme.name })),
          needs: needList,
          fellows,
        }}
        activities={list.activities}
        total={list.total}
        hours={list.hours}
      />,
      status,
    );
  };

  app.get('/activities', (c) => renderActivities(c, emptyForm({ occurredOn: londonDate(clock.now()) }), 200));

  app.post('/activities', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const input = {
      kind: formText(body, 'kind'),
      title: formText(body, 'title') ?? '',
      occurredOn: formText(body, 'occurredOn'),
      hours: formText(body, 'hours') ?? '0',
      organisationId: formText(body, 'organisationId'),
      themeId: formText(body, 'themeId'),
      needId: formText(body, 'needId'),
      notes: formText(body, 'notes') ?? '',
    };
    return handleForm(
      () => activities.log(actorOf(c), parseWith(activityInputSchema, input, 'activity')),
      (errors) => renderActivities(c, { values: body, errors }, 422),
      () => c.redirect('/activities', 303),
    );
  });

  // Impact records.
  app.get('/impact', async (c) => {
    const values = queryValues(c);
    const parsed = impactFilterSchema.safeParse({ kind: values.kind, needId: values.needId });
    const { records, total } = await impact.list(actorOf(c), parsed.success ? parsed.data : { limit: 100, offset: 0 });
    return render(c, <ImpactPage context={pageContext(c)} records={records} total={total} filters={emptyForm({ kind: values.kind })} />);
  });

  const renderImpactForm = async (c: Context<AppEnv>, values: FormBody, errors: FieldErrors, status: 200 | 422) => {
    const actor = actorOf(c);
    if (!isStaff(actor.role)) {
      throw new AppError('auth.forbidden', 'Only fellows, leads and administrators log impact');
    }
    return render(c, <ImpactFormPage context={pageContext(c)} form={{ values, errors }} needs={await needOptions(actor)} />, status);
  };

  app.get('/impact/new', (c) => renderImpactForm(c, { needId: c.req.query('needId') ?? '' }, {}, 200));

  app.post('/impact', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const input = {
      needId: formText(body, 'needId'),
      uses: formList(body, 'uses'),
      kinds: formList(body, 'kinds'),
      detail: formText(body, 'detail') ?? '',
      notUsedReason: formText(body, 'notUsedReason'),
    };
    return handleForm(
      () => impact.log(actorOf(c), parseWith(impactInputSchema, input, 'impact record')),
      (errors) => renderImpactForm(c, body, errors, 422),
      (record) => c.redirect(`/impact#impact-${record.id}`, 303),
    );
  });

  app.post('/impact/:id/kinds', async (c) => {
    const id = uuidParam(c, 'impact.not_found') as ImpactRecordId;
    const body = formBody(await c.req.parseBody({ all: true }));
    await impact.reclassify(actorOf(c), id, parseWith(reclassifySchema, { kinds: formList(body, 'kinds') }, 'kinds of impact'));
    return c.redirect(`/impact#impact-${id}`, 303);
  });

  // The dashboard: the period defaults to the last twelve months; either end may be given alone.
  const rangeOf = (c: Context<AppEnv>): { range: DashboardRange; errors: FieldErrors } => {
    const fallback = dashboard.defaultRange();
    const values = queryValues(c);
    if (values.from === undefined && values.to === undefined) {
      return { range: fallback, errors: {} };
    }
    const parsed = dashboardRangeSchema.safeParse({ from: values.from ?? fallback.from, to: values.to ?? fallback.to });
    return parsed.success ? { range: parsed.data, errors: {} } : { range: fallback, errors: fieldErrors(parsed.error) };
  };

  const strictRange = (c: Context<AppEnv>): DashboardRange => {
    const { range, errors } = rangeOf(c);
    if (Object.keys(errors).length > 0) {
      throw new AppError('validation.failed', 'The period is not valid', { fields: errors });
    }
    return range;
  };

  app.get('/dashboard', async (c) => {
    const { range, errors } = rangeOf(c);
    const view = await dashboard.view(actorOf(c), range);
    const figures = await Promise.all(view.figures.map(async (figure) => ({ figure, svg: await renderChartSvg(figure) })));
    const values = queryValues(c);
    const form = { values: { from: values.from ?? view.range.from, to: values.to ?? view.range.to }, errors };
    return render(c, <DashboardPage context={pageContext(c)} range={view.range} form={form} figures={figures} />, Object.keys(errors).length > 0 ? 422 : 200);
  });

  app.get('/dashboard.csv', async (c) => {
    const view = await dashboard.view(actorOf(c), strictRange(c));
    return download(c, `mobilise-dashboard-${view.range.from}-to-${view.range.to}.csv`, dashboardCsv(view.figures, view.range), 'text/csv; charset=utf-8');
  });

  app.get('/dashboard/figures/:file', async (c) => {
    const match = /^([a-z-]+)\.(csv|svg)$/.exec(c.req.param('file'));
    const view = await dashboard.view(actorOf(c), strictRange(c));
    const figure = view.figures.find((candidate) => candidate.id === match?.[1]);
    const svg = figure && match?.[2] === 'svg' ? await renderChartSvg(figure) : undefined;
    if (!figure || !match || (match[2] === 'svg' && !svg)) {
      throw new AppError('request.not_found', 'No such figure');
    }
    const name = `mobilise-${figure.id}-${view.range.from}-to-${view.range.to}.${match[2]}`;
    return svg
      ? download(c, name, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, 'image/svg+xml; charset=utf-8')
      : download(c, name, figureCsv(figure), 'text/csv; charset=utf-8');
  });

  return app;
};
