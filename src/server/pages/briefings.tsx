import { Hono, type Context } from 'hono';
import type { Services } from '../../compose.js';
import { isStaff, type Actor } from '../../core/accounts/roles.js';
import { briefingCommentSchema, briefingSettingsSchema, newBriefingSchema, saveBriefingSchema } from '../../core/briefings/briefing.schema.js';
import type { EditConflict } from '../../core/briefings/conflict.js';
import { plainText } from '../../core/briefings/markup.js';
import { assessReadability } from '../../core/briefings/readability.js';
import { templateDefinitions } from '../../core/briefings/templates.js';
import { briefingStatuses, type Briefing, type BriefingId, type BriefingStatus, type Section } from '../../core/briefings/types.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type NeedId } from '../../core/shared/ids.js';
import type { ReviewId } from '../../core/reviews/types.js';
import { renderBriefingDocx } from '../../adapters/documents/briefing-docx.js';
import { renderBriefingHtml } from '../../adapters/documents/briefing-html.js';
import { renderBriefingPdf } from '../../adapters/documents/briefing-pdf.js';
import { emptyForm, type FormState } from '../../web/components/form.js';
import {
  BriefingPage,
  BriefingsListPage,
  CompareVersionsPage,
  EditBriefingPage,
  NewBriefingPage,
  PublicBriefingPage,
  type SectionReadability,
} from '../../web/pages/briefings/briefing-pages.js';
import type { AppEnv } from '../context.js';
import { formBody, formText, parseWith } from '../validation.js';
import { actorOf, handleForm, pageContext, render } from './render.js';

const briefingId = (c: Context<AppEnv>): BriefingId => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError('briefing.not_found', 'No such briefing');
  }
  return id as BriefingId;
};

/** The text cut at the given spans, so that a page can mark them (the hardest sentences). */
const markSpans = (text: string, spans: readonly { start: number; end: number }[]): { text: string; isHard: boolean }[] => {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const segments: { text: string; isHard: boolean }[] = [];
  let at = 0;
  for (const span of sorted) {
    if (span.start < at) {
      continue;
    }
    if (span.start > at) {
      segments.push({ text: text.slice(at, span.start), isHard: false });
    }
    segments.push({ text: text.slice(span.start, span.end), isHard: true });
    at = span.end;
  }
  if (at < text.length) {
    segments.push({ text: text.slice(at), isHard: false });
  }
  return segments;
};

/** Readability of each section against the template's audience, in the shape the pages show. */
export const readabilityOf = (briefing: Pick<Briefing, 'template'>, sections: Section[]): SectionReadability[] => {
  const audience = templateDefinitions[briefing.template].audience;
  return sections.map((section) => {
    const assessed = assessReadability(section.body, audience);
    return {
      key: section.key,
      readingEase: assessed.scores?.readingEase,
      grade: assessed.scores?.grade,
      readingAge: assessed.scores?.readingAge,
      verdict: assessed.verdict,
      explanation: assessed.explanation,
      hardest: assessed.hardest.map((sentence) => plainText(sentence.text)),
      segments: markSpans(section.body, assessed.hardest),
      jargon: assessed.jargon.map((match) => ({ term: match.text, plainer: match.plain })),
    };
  });
};

/** A file name from the briefing's reference and title: letters, digits and hyphens only. */
const fileNameOf = (reference: string, title: string, extension: string): string =>
  `${reference}-${title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)}.${extension}`;

/** Briefing pages (issue #6): start, edit in versions, review, compare, deliver, export; public pages of delivered public outputs. */
export const briefingPages = (services: Services) => {
  const { briefings, needs, reviews } = services;
  const app = new Hono<AppEnv>();

  app.get('/briefings', async (c) => {
    const actor = actorOf(c);
    return render(c, <BriefingsListPage context={pageContext(c)} briefings={await briefings.list(actor)} canStart={isStaff(actor.role)} />);
  });

  const sourceOf = async (actor: Actor, query: { needId?: string | undefined; reviewId?: string | undefined }) => {
    if (query.reviewId && isUuid(query.reviewId)) {
      const { review, included } = await reviews.countIncluded(actor, query.reviewId as ReviewId);
      return { kind: 'review' as const, id: review.id as string, title: review.title, records: included, needId: review.needId };
    }
    if (query.needId && isUuid(query.needId)) {
      const need = await needs.getNeed(actor, query.needId as NeedId);
      const { records } = await briefings.evidenceFor(actor, need.id);
      return { kind: 'need' as const, id: need.id as string, title: need.title, records: records.length, needId: need.id };
    }
    return undefined;
  };

  const renderNew = async (c: Context<AppEnv>, actor: Actor, query: { needId?: string | undefined; reviewId?: string | undefined }, form: FormState, status: 200 | 422 = 200) => {
    if (!isStaff(actor.role)) {
      throw new AppError('auth.forbidden', 'Only fellows, leads and administrators write briefings');
    }
    const source = await sourceOf(actor, query);
    const values = { template: 'decision', citationStyle: 'vancouver', title: source ? source.title : '', needId: source?.needId, ...form.values };
    return render(c, <NewBriefingPage context={pageContext(c)} form={{ values, errors: form.errors }} source={source} />, status);
  };

  app.get('/briefings/new', (c) => renderNew(c, actorOf(c), { needId: c.req.query('needId'), reviewId: c.req.query('reviewId') }, emptyForm()));

  app.post('/briefings', async (c) => {
    const actor = actorOf(c);
    const body = formBody(await c.req.parseBody());
    const input = {
      template: formText(body, 'template'),
      title: formText(body, 'title') ?? '',
      citationStyle: formText(body, 'citationStyle') ?? 'vancouver',
      ...(formText(body, 'needId') ? { needId: formText(body, 'needId') } : {}),
      ...(formText(body, 'reviewId') ? { reviewId: formText(body, 'reviewId') } : {}),
    };
    return handleForm(
      () => briefings.create(actor, parseWith(newBriefingSchema, input, 'briefing')),
      (errors) => renderNew(c, actor, { needId: input.needId, reviewId: input.reviewId }, { values: body, errors }, 422),
      (briefing) => c.redirect(`/briefings/${briefing.id}/edit`, 303),
    );
  });

  app.get('/briefings/:id', async (c) => {
    const actor = actorOf(c);
    const requested = Number(c.req.query('version'));
    const detail = await briefings.get(actor, briefingId(c), Number.isInteger(requested) && requested > 0 ? requested : undefined);
    const document = await briefings.document(actor, detail.briefing.id, detail.version.version);
    const canEdit = isStaff(actor.role);
    return render(
      c,
      <BriefingPage
        context={pageContext(c)}
        data={{
          ...detail,
          document,
          need: detail.need ? { id: detail.need.id, reference: detail.need.reference, title: detail.need.title } : undefined,
          canEdit,
          canComment: (canEdit || actor.role === 'contributor') && detail.briefing.status === 'in_review',
          readability: canEdit ? readabilityOf(detail.briefing, detail.version.sections) : [],
        }}
      />,
    );
  });

  /**
   * The editor: the current version, or (`form`) what was posted and refused, with `status` 422 for
   * invalid text or 409 when someone else saved first (then `conflict`: their text and changes beside the
   * user's). A save from it starts from `baseVersion` when given (the version the refused form was opened
   * from), otherwise from the current version.
   */
  const renderEdit = async (
    c: Context<AppEnv>,
    actor: Actor,
    id: BriefingId,
    form: FormState,
    refused: { status?: 409 | 422; baseVersion?: number | undefined; conflict?: (EditConflict & { hint: string | undefined }) | undefined } = {},
  ) => {
    if (!isStaff(actor.role)) {
      throw new AppError('auth.forbidden', 'Only fellows, leads and administrators write briefings');
    }
    const detail = await briefings.get(actor, id);
    // Readability of what was typed, when a save was refused; otherwise of the saved text.
    const sections = detail.version.sections.map((section) => {
      const typed = form.values[`section.${section.key}`];
      return typeof typed === 'string' ? { ...section, body: typed } : section;
    });
    return render(
      c,
      <EditBriefingPage
        context={pageContext(c)}
        briefing={detail.briefing}
        version={detail.version}
        records={detail.records}
        form={form}
        readability={readabilityOf(detail.briefing, sections)}
        baseVersion={refused.baseVersion ?? detail.version.version}
        conflict={refused.conflict}
      />,
      refused.status ?? 200,
    );
  };

  app.get('/briefings/:id/edit', (c) => renderEdit(c, actorOf(c), briefingId(c), emptyForm()));

  app.post('/briefings/:id/edit', async (c) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const body = formBody(await c.req.parseBody());
    const sections = Object.entries(body).flatMap(([key, value]) => (key.startsWith('section.') && typeof value === 'string' ? [{ key: key.slice('section.'.length), body: value }] : []));
    const input = { baseVersion: Number(formText(body, 'baseVersion')), sections, note: formText(body, 'note') ?? '' };
    try {
      await briefings.save(actor, id, parseWith(saveBriefingSchema, input, 'briefing'));
    } catch (error) {
      if (error instanceof AppError && error.code === 'briefing.edit_conflict') {
        // The editor comes back on the current version, with the other person's text and changes beside the
        // user's, sections only they changed taken over; one message, at the first section left to merge.
        const conflict = await briefings.conflict(actor, id, input.baseVersion, sections);
        const merged = Object.fromEntries((conflict?.sections ?? []).map((section) => [`section.${section.key}`, section.merged]));
        const first = conflict?.sections.find((section) => section.kind === 'both') ?? conflict?.sections.find((section) => section.kind === 'theirs');
        const errors = { [`section.${first?.key ?? sections[0]?.key ?? 'question'}`]: error.message };
        return renderEdit(c, actor, id, { values: { ...body, ...merged }, errors }, { status: 409, conflict: conflict && { ...conflict, hint: error.details?.fields?.sections } });
      }
      if (error instanceof AppError && error.code === 'validation.failed') {
        // After invalid text the editor keeps the version it was opened from, so that the corrected save still finds anyone else's version in between.
        const hasBase = Number.isInteger(input.baseVersion) && input.baseVersion >= 1;
        return renderEdit(c, actor, id, { values: body, errors: error.details?.fields ?? {} }, { status: 422, baseVersion: hasBase ? input.baseVersion : undefined });
      }
      throw error;
    }
    return c.redirect(`/briefings/${id}/edit`, 303);
  });

  app.post('/briefings/:id/status', async (c) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const status = formText(formBody(await c.req.parseBody()), 'status');
    if (!(briefingStatuses as readonly string[]).includes(status ?? '')) {
      throw new AppError('validation.failed', 'Choose a status', { fields: { status: 'Choose a status' } });
    }
    await briefings.changeStatus(actor, id, status as BriefingStatus);
    return c.redirect(`/briefings/${id}`, 303);
  });

  app.post('/briefings/:id/settings', async (c) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const body = formBody(await c.req.parseBody());
    await briefings.updateSettings(
      actor,
      id,
      parseWith(briefingSettingsSchema, { title: formText(body, 'title') ?? '', citationStyle: formText(body, 'citationStyle') ?? 'vancouver', isPublic: formText(body, 'isPublic') === 'true' }, 'settings'),
    );
    return c.redirect(`/briefings/${id}`, 303);
  });

  app.post('/briefings/:id/comments', async (c) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const body = formBody(await c.req.parseBody());
    return handleForm(
      () => briefings.comment(actor, id, parseWith(briefingCommentSchema, { body: formText(body, 'body') ?? '', sectionKey: formText(body, 'sectionKey') }, 'comment')),
      () => c.redirect(`/briefings/${id}#comments-heading`, 303),
      () => c.redirect(`/briefings/${id}#comments-heading`, 303),
    );
  });

  app.get('/briefings/:id/compare', async (c) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const from = Number(c.req.query('from'));
    const to = Number(c.req.query('to'));
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) {
      throw new AppError('validation.failed', 'Choose two versions to compare', { fields: { from: 'Choose a version' } });
    }
    const comparison = await briefings.compare(actor, id, from, to);
    const { briefing } = await briefings.get(actor, id);
    return render(c, <CompareVersionsPage context={pageContext(c)} briefing={briefing} comparison={comparison} />);
  });

  const exportAs = (format: 'docx' | 'pdf' | 'html') => async (c: Context<AppEnv>) => {
    const actor = actorOf(c);
    const id = briefingId(c);
    const { briefing } = await briefings.get(actor, id);
    const document = await briefings.document(actor, id);
    const disposition = `attachment; filename="${fileNameOf(briefing.reference, briefing.title, format)}"`;
    if (format === 'docx') {
      return new Response(new Uint8Array(await renderBriefingDocx(document)), {
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'content-disposition': disposition },
      });
    }
    if (format === 'pdf') {
      return new Response(new Uint8Array(await renderBriefingPdf(document)), { headers: { 'content-type': 'application/pdf', 'content-disposition': disposition } });
    }
    return new Response(renderBriefingHtml(document), { headers: { 'content-type': 'text/html; charset=utf-8', 'content-disposition': disposition } });
  };
  app.get('/briefings/:id/export.docx', exportAs('docx'));
  app.get('/briefings/:id/export.pdf', exportAs('pdf'));
  app.get('/briefings/:id/export.html', exportAs('html'));

  return app;
};

/** Public pages of delivered outputs marked public: no account needed. */
export const publicBriefingPages = ({ briefings }: Services) => {
  const app = new Hono<AppEnv>();
  app.get('/p/:slug', async (c) => {
    const slug = c.req.param('slug');
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(slug)) {
      throw new AppError('briefing.not_found', 'No such public briefing');
    }
    return render(c, <PublicBriefingPage context={pageContext(c)} document={await briefings.publicDocument(slug)} />);
  });
  return app;
};
