import { Hono, type Context } from 'hono';
import { renderScreeningCurveSvg } from '../../adapters/documents/charts.js';
import { isImportFormat } from '../../adapters/formats/file-import.js';
import { sourceFromBytes } from '../../adapters/formats/file-source.js';
import type { Services } from '../../compose.js';
import { canListBriefings } from '../../core/briefings/briefings.js';
import { canCreateReview, canManageReview } from '../../core/reviews/permissions.js';
import { decisionInputSchema, newReviewInputSchema, noteInputSchema, protocolInputSchema, resolutionInputSchema, statusInputSchema, tagsInputSchema, teamInputSchema } from '../../core/reviews/review.schema.js';
import { frameworks, stages, type Review, type ReviewId, type Stage } from '../../core/reviews/types.js';
import type { Actor } from '../../core/accounts/roles.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type CandidateId, type NeedId, type RecordId } from '../../core/shared/ids.js';
import { emptyForm, type FormState } from '../../web/components/form.js';
import { ImportSummaryPage, importSummaryStatus, reviewSummaryLinks } from '../../web/pages/evidence/import-page.js';
import { ReviewDuplicatesPage, ReviewRecordsPage, type RecordsPageData } from '../../web/pages/reviews/records-page.js';
import { ProtocolPage, ReviewOverviewPage, ReviewsListPage, TeamPage, protocolForm } from '../../web/pages/reviews/review-pages.js';
import { ConflictsPage, ScreenPage } from '../../web/pages/reviews/screening-pages.js';
import type { AppEnv } from '../context.js';
import { formBody, formFlag, formList, formText, pageNumberOf, parseWith, type FormBody } from '../validation.js';
import { actorOf, handleForm, pageContext, render } from './render.js';

const RECORDS_SHOWN = 200;

const reviewId = (c: Context<AppEnv>): ReviewId => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError('review.not_found', 'No such review');
  }
  return id as ReviewId;
};

const stageParam = (c: Context<AppEnv>): Stage => {
  const stage = c.req.param('stage') ?? '';
  if (!(stages as readonly string[]).includes(stage)) {
    throw new AppError('request.not_found', 'No such screening stage');
  }
  return stage as Stage;
};

const lines = (body: FormBody, name: string): string[] =>
  (formText(body, name) ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** Errors on the framework's fields (`frameworkFields.population`) named as the form's inputs are (`pico.population`). */
const protocolErrors = (body: FormBody, errors: Record<string, string>): Record<string, string> => {
  const framework = formText(body, 'framework') ?? 'pico';
  return Object.fromEntries(Object.entries(errors).map(([name, message]) => [name.startsWith('frameworkFields.') ? `${framework}.${name.slice('frameworkFields.'.length)}` : name, message]));
};

/** The protocol form as the use case's input: lists one per line, the chosen framework's fields, a percentage as a share. */
const protocolFromForm = (body: FormBody) => {
  const framework = (formText(body, 'framework') ?? 'pico') as keyof typeof frameworks;
  const fieldNames = Object.keys(frameworks[framework]?.fields ?? {});
  const percent = formText(body, 'randomShare');
  return {
    title: formText(body, 'title') ?? '',
    question: formText(body, 'question') ?? '',
    framework,
    frameworkFields: Object.fromEntries(fieldNames.map((name) => [name, formText(body, `${framework}.${name}`) ?? ''])),
    inclusionCriteria: formText(body, 'inclusionCriteria') ?? '',
    exclusionCriteria: formText(body, 'exclusionCriteria') ?? '',
    exclusionReasons: lines(body, 'exclusionReasons'),
    includeKeywords: lines(body, 'includeKeywords'),
    excludeKeywords: lines(body, 'excludeKeywords'),
    isDual: formText(body, 'isDual') === 'true',
    isBlind: formText(body, 'isBlind') !== 'false',
    model: formText(body, 'model') ?? 'nb',
    randomShare: percent === undefined ? 0 : Number(percent) / 100,
    ...(formText(body, 'needId') ? { needId: formText(body, 'needId') } : {}),
  };
};

/** The form's values as typed, for re-rendering it with errors. */
const typed = (body: FormBody): FormState['values'] => body;

/** Pages of the review workbench (issue #5). Every action goes through the reviews use cases, which check the actor's part in the review. */
export const reviewPages = (services: Services) => {
  const { reviews, evidence, matching, needs, importFile, briefings } = services;
  const app = new Hono<AppEnv>();

  app.get('/reviews', async (c) => {
    const actor = actorOf(c);
    return render(c, <ReviewsListPage context={pageContext(c)} reviews={await reviews.listReviews(actor)} canCreate={canCreateReview(actor)} />);
  });

  const needFor = async (actor: Actor, id: string | undefined) => {
    if (!id || !isUuid(id)) {
      return undefined;
    }
    const need = await needs.getNeed(actor, id as NeedId);
    return { id: need.id as string, title: need.title, question: need.question, population: need.population };
  };

  app.get('/reviews/new', async (c) => {
    const actor = actorOf(c);
    if (!canCreateReview(actor)) {
      throw new AppError('auth.forbidden', 'Only fellows, leads, administrators and researchers start reviews');
    }
    const need = await needFor(actor, c.req.query('needId'));
    // A review from a need starts from the need's question and population.
    const form = protocolForm(undefined, need ? { title: `Rapid review: ${need.title}`, question: need.question, 'pico.population': need.population } : {});
    return render(c, <ProtocolPage context={pageContext(c)} form={form} need={need} />);
  });

  app.post('/reviews', async (c) => {
    const actor = actorOf(c);
    const body = formBody(await c.req.parseBody({ all: true }));
    const need = await needFor(actor, formText(body, 'needId'));
    return handleForm(
      () => reviews.createReview(actor, parseWith(newReviewInputSchema, protocolFromForm(body), 'review')),
      (errors) => render(c, <ProtocolPage context={pageContext(c)} form={{ values: typed(body), errors: protocolErrors(body, errors) }} need={need} />, 422),
      (review) => c.redirect(`/reviews/${review.id}`, 303),
    );
  });

  app.get('/reviews/:id', async (c) => {
    const actor = actorOf(c);
    const overview = await reviews.overview(actor, reviewId(c));
    // Briefings started from the review, for those who may read briefings (one query, after the review is known to be theirs to see).
    const [need, reviewBriefings] = await Promise.all([
      overview.review.needId ? needFor(actor, overview.review.needId).catch(() => undefined) : undefined,
      canListBriefings(actor) ? briefings.list(actor, { reviewId: overview.review.id }) : undefined,
    ]);
    const curveSvg = await renderScreeningCurveSvg(overview.curve);
    return render(c, <ReviewOverviewPage context={pageContext(c)} data={{ ...overview, need, briefings: reviewBriefings, curveSvg }} />);
  });

  // The protocol page needs the review and how many decisions there are (its warning about switching single or dual screening), not the whole overview.
  app.get('/reviews/:id/protocol', async (c) => {
    const { review, decisions } = await reviews.getProtocol(actorOf(c), reviewId(c));
    return render(c, <ProtocolPage context={pageContext(c)} form={protocolForm(review)} review={review} decisions={decisions} />);
  });

  app.post('/reviews/:id/protocol', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody({ all: true }));
    const { review, decisions } = await reviews.getProtocol(actor, id);
    return handleForm(
      () => reviews.updateProtocol(actor, id, parseWith(protocolInputSchema, protocolFromForm(body), 'protocol')),
      (errors) => render(c, <ProtocolPage context={pageContext(c)} form={{ values: typed(body), errors: protocolErrors(body, errors) }} review={review} decisions={decisions} />, 422),
      () => c.redirect(`/reviews/${id}`, 303),
    );
  });

  app.post('/reviews/:id/status', async (c) => {
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody());
    await reviews.setStatus(actorOf(c), id, parseWith(statusInputSchema, { status: formText(body, 'status') }, 'status').status);
    return c.redirect(`/reviews/${id}`, 303);
  });

  const renderTeam = async (c: Context<AppEnv>, actor: Actor, review: Review, form: FormState) =>
    render(c, <TeamPage context={pageContext(c)} review={review} people={await reviews.listEligibleMembers(actor, review.id)} form={form} />, Object.keys(form.errors).length > 0 ? 422 : 200);

  app.get('/reviews/:id/team', async (c) => {
    const actor = actorOf(c);
    return renderTeam(c, actor, await reviews.getReview(actor, reviewId(c)), emptyForm());
  });

  app.post('/reviews/:id/team', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody());
    const members = Object.entries(body).flatMap(([key, value]) => (key.startsWith('role.') && typeof value === 'string' && value !== '' ? [{ userId: key.slice(5), role: value }] : []));
    const review = await reviews.getReview(actor, id);
    return handleForm(
      () => reviews.setTeam(actor, id, parseWith(teamInputSchema, { members }, 'team')),
      (errors) => renderTeam(c, actor, review, { values: {}, errors }),
      () => c.redirect(`/reviews/${id}`, 303),
    );
  });

  const renderRecords = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, form: FormState, status: 200 | 422 = 200) => {
    const pageNumber = pageNumberOf(c.req.query('page'));
    // The page of records comes with the review and what the actor may do: its progress is worked out once.
    const { review, canManage, rows, total } = await reviews.listRecords(actor, id, { offset: (pageNumber - 1) * RECORDS_SHOWN, limit: RECORDS_SHOWN });
    const query = c.req.query('q')?.trim();
    const main = await evidence.listRecords(actor, { limit: 1, offset: 0 });
    const library = query
      ? { query, results: (await evidence.searchEvidence(actor, { text: query, limit: 20, filters: { libraryIds: [main.library.id] } })).hits.map((hit) => hit.record) }
      : undefined;
    let needMatches: RecordsPageData['needMatches'];
    if (review.needId && canManage) {
      const [pinned, matched] = await Promise.all([matching.listPinned(actor, review.needId), matching.matchEvidence(actor, review.needId, { limit: 20 })]);
      const seen = new Set<string>();
      const entries = [
        ...pinned.map((pin) => ({ record: pin.record, note: 'pinned' })),
        ...matched.hits.map((hit) => ({ record: hit.record, note: undefined })),
      ].filter((entry) => !seen.has(entry.record.id) && (seen.add(entry.record.id), true));
      needMatches = { needId: review.needId, records: entries };
    }
    const { candidates, total: openCandidates } = await evidence.listCandidates(actor, { limit: 1, offset: 0 }, review.libraryId);
    void candidates;
    const data: RecordsPageData = {
      review,
      canManage,
      records: rows,
      total,
      page: { number: pageNumber, size: RECORDS_SHOWN },
      openCandidates,
      library,
      needMatches,
    };
    return render(c, <ReviewRecordsPage context={pageContext(c)} data={data} form={form} />, status);
  };

  app.get('/reviews/:id/records', async (c) => renderRecords(c, actorOf(c), reviewId(c), emptyForm()));

  app.post('/reviews/:id/import', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = await c.req.parseBody({ all: true });
    const fields = formBody(body);
    const file = body.file;
    const format = formText(fields, 'format');
    const again = (errors: Record<string, string>) => renderRecords(c, actor, id, { values: fields, errors }, 422);
    if (!(file instanceof File) || file.size === 0) {
      return again({ file: 'Choose a file to import' });
    }
    if (format !== undefined && !isImportFormat(format)) {
      return again({ format: 'Choose a format from the list' });
    }
    const source = await sourceFromBytes(file.name, file.stream() as unknown as AsyncIterable<Uint8Array>, file.size);
    try {
      const summary = await reviews.importRecords(actor, id, formText(fields, 'source'), (libraryId) =>
        importFile(actor, source, { format, libraryId, searchQuery: formText(fields, 'query'), skipInvalid: formFlag(fields, 'skipInvalid') }),
      );
      const review = await reviews.getReview(actor, id);
      // As for the main library: what was read, added and merged, and every record with a problem by line.
      return render(c, <ImportSummaryPage context={pageContext(c)} summary={summary} links={reviewSummaryLinks(review)} />, importSummaryStatus(summary));
    } catch (error) {
      if (error instanceof AppError && (error.code === 'import.unreadable' || error.code === 'import.unsupported_format')) {
        return again({ file: error.message });
      }
      throw error;
    }
  });

  app.post('/reviews/:id/add', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody({ all: true }));
    const recordIds = formList(body, 'recordIds').filter(isUuid) as RecordId[];
    const source = formText(body, 'source') === 'need_matches' ? 'need_matches' : 'library';
    return handleForm(
      () => reviews.addRecords(actor, id, { recordIds, source, needId: formText(body, 'needId') as NeedId | undefined }),
      (errors) => renderRecords(c, actor, id, { values: {}, errors: { file: errors.recordIds ?? 'Choose at least one record' } }, 422),
      () => c.redirect(`/reviews/${id}/records`, 303),
    );
  });

  const renderDuplicates = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, notice?: string) => {
    const review = await reviews.getReview(actor, id);
    const { candidates } = await evidence.listCandidates(actor, { limit: 50, offset: 0 }, review.libraryId);
    return render(c, <ReviewDuplicatesPage context={pageContext(c)} review={review} candidates={candidates} canDecide={canManageReview(actor, review)} notice={notice} />, notice ? 409 : 200);
  };

  app.get('/reviews/:id/duplicates', async (c) => renderDuplicates(c, actorOf(c), reviewId(c)));

  const decideCandidate = (action: 'merge' | 'keep-apart') => async (c: Context<AppEnv>) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const candidateId = c.req.param('candidate') ?? '';
    if (!isUuid(candidateId)) {
      throw new AppError('candidate.not_found', 'No such duplicate pair');
    }
    try {
      await reviews.decideDuplicate(actor, id, candidateId as CandidateId, action === 'merge' ? (candidate) => evidence.mergeCandidate(actor, candidate) : (candidate) => evidence.keepApart(actor, candidate));
    } catch (error) {
      // Two people on the same list: the second finds the pair gone, with the list as it now is.
      if (error instanceof AppError && error.code === 'candidate.already_decided') {
        return renderDuplicates(c, actor, id, 'Someone had already merged or kept apart that pair. The list below is up to date.');
      }
      throw error;
    }
    return c.redirect(`/reviews/${id}/duplicates`, 303);
  };
  app.post('/reviews/:id/duplicates/:candidate/merge', decideCandidate('merge'));
  app.post('/reviews/:id/duplicates/:candidate/keep-apart', decideCandidate('keep-apart'));

  const renderScreen = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, stage: Stage, form: FormState, recordId?: RecordId, notice?: string) => {
    const review = await reviews.getReview(actor, id);
    const card = recordId ? await reviews.getCard(actor, id, recordId, stage) : await reviews.nextCard(actor, id, stage);
    const previous = card === undefined ? await reviews.lastDecided(actor, id, stage) : card.previous;
    const status = notice ? 409 : Object.keys(form.errors).length > 0 ? 422 : 200;
    return render(c, <ScreenPage context={pageContext(c)} review={review} stage={stage} card={card} previous={previous} form={form} notice={notice} />, status);
  };

  app.get('/reviews/:id/screen/:stage', async (c) => {
    const record = c.req.query('record');
    return renderScreen(c, actorOf(c), reviewId(c), stageParam(c), emptyForm(), record && isUuid(record) ? (record as RecordId) : undefined);
  });

  app.post('/reviews/:id/screen/:stage', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const stage = stageParam(c);
    const body = formBody(await c.req.parseBody());
    const rank = formText(body, 'rankPosition');
    const input = {
      recordId: formText(body, 'recordId'),
      stage,
      decision: formText(body, 'decision'),
      reason: formText(body, 'reason'),
      modelVersion: formText(body, 'modelVersion'),
      rankPosition: rank === undefined ? undefined : Number(rank),
    };
    try {
      return await handleForm(
        () => reviews.decide(actor, id, parseWith(decisionInputSchema, input, 'decision')),
        (errors) => renderScreen(c, actor, id, stage, { values: {}, errors }, isUuid(input.recordId ?? '') ? (input.recordId as RecordId) : undefined),
        () => c.redirect(`/reviews/${id}/screen/${stage}`, 303),
      );
    } catch (error) {
      // Someone else's decision got there first: say so, and carry on with this screener's next record.
      if (error instanceof AppError && error.code === 'review.already_screened') {
        return renderScreen(c, actor, id, stage, emptyForm(), undefined, `Your decision was not saved: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}. Here is your next record.`);
      }
      throw error;
    }
  });

  const noteOrTags = (kind: 'notes' | 'tags') => async (c: Context<AppEnv>) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const recordId = c.req.param('record') ?? '';
    if (!isUuid(recordId)) {
      throw new AppError('review.record_not_found', 'The record is not in this review');
    }
    const stage = (stages as readonly string[]).includes(c.req.query('stage') ?? '') ? (c.req.query('stage') as Stage) : 'title_abstract';
    const body = formBody(await c.req.parseBody());
    return handleForm(
      () =>
        kind === 'notes'
          ? reviews.addNote(actor, id, recordId as RecordId, parseWith(noteInputSchema, { body: formText(body, 'body') ?? '' }, 'note').body)
          : reviews.setTags(actor, id, recordId as RecordId, parseWith(tagsInputSchema, { tags: (formText(body, 'tags') ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '') }, 'tags').tags),
      // The note or tags come back as typed, with the message beside the field (not under its API name).
      (errors) =>
        renderScreen(
          c,
          actor,
          id,
          stage,
          kind === 'notes'
            ? { values: { note: formText(body, 'body') ?? '' }, errors: { note: Object.values(errors)[0] ?? 'Check the note' } }
            : { values: { tags: formText(body, 'tags') ?? '' }, errors: { tags: Object.values(errors)[0] ?? 'Check the tags' } },
          recordId as RecordId,
        ),
      () => c.redirect(`/reviews/${id}/screen/${stage}?record=${recordId}`, 303),
    );
  };
  app.post('/reviews/:id/records/:record/notes', noteOrTags('notes'));
  app.post('/reviews/:id/records/:record/tags', noteOrTags('tags'));

  /** The conflicts at both stages; `form` is a resolution sent back with errors, shown on its record's form. */
  const renderConflicts = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, form: FormState) => {
    const { review, conflicts, canResolve } = await reviews.getConflicts(actor, id);
    return render(
      c,
      <ConflictsPage
        context={pageContext(c)}
        review={review}
        conflicts={conflicts}
        canResolve={canResolve}
        actorId={actor.userId}
        form={form}
      />,
      Object.keys(form.errors).length > 0 ? 422 : 200,
    );
  };

  app.get('/reviews/:id/conflicts', async (c) => renderConflicts(c, actorOf(c), reviewId(c), emptyForm()));

  app.post('/reviews/:id/conflicts', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody());
    const values = { recordId: formText(body, 'recordId'), stage: formText(body, 'stage'), decision: formText(body, 'decision'), reason: formText(body, 'reason') };
    return handleForm(
      () => reviews.resolveConflict(actor, id, parseWith(resolutionInputSchema, values, 'resolution')),
      (errors) => renderConflicts(c, actor, id, { values, errors }),
      () => c.redirect(`/reviews/${id}/conflicts`, 303),
    );
  });

  return app;
};
