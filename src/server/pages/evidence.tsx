import { Hono, type Context } from 'hono';
import { canImportEvidence } from '../../core/evidence/import.js';
import { canSetStudyDesign } from '../../core/evidence/study-design-by-hand.js';
import { canSetRecordThemes } from '../../core/evidence/themes.js';
import type { Actor } from '../../core/accounts/roles.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type CandidateId, type RecordId, type ThemeId } from '../../core/shared/ids.js';
import { sourceFromBytes } from '../../adapters/formats/file-source.js';
import { isImportFormat } from '../../adapters/formats/file-import.js';
import type { Services } from '../../compose.js';
import { emptyForm, type FormState } from '../../web/components/form.js';
import { DuplicatesPage } from '../../web/pages/evidence/duplicates-page.js';
import { ImportPage, ImportSummaryPage, ImportsPage, importSummaryStatus } from '../../web/pages/evidence/import-page.js';
import { LibraryPage } from '../../web/pages/evidence/library-page.js';
import { RecordPage } from '../../web/pages/evidence/record-page.js';
import type { AppEnv } from '../context.js';
import { MAX_EXPORT_RECORDS, exportQuery, recordQuery, toRecordFilter } from '../evidence-query.js';
import { exportResponse } from '../export-response.js';
import { themeFilterQuery, themeIdsOf } from '../api/schemas.js';
import { chosenRecordIds, formBody, formFlag, formList, formText, pageNumberOf } from '../validation.js';
import { actorOf, handleForm, pageContext, render } from './render.js';

const PAGE_SIZE = 25;

const idParam = (c: Context<AppEnv>, code: 'record.not_found' | 'candidate.not_found'): string => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError(code, 'No such item');
  }
  return id;
};

/** The theme filter of a library or export link; an id that is not a theme's shape filters nothing, like the other filters. */
const themeFilterOf = (raw: Record<string, string>) => {
  const parsed = themeFilterQuery.safeParse(raw);
  return parsed.success ? themeIdsOf(parsed.data) : undefined;
};

/** Duplicate pairs per page, most alike first. */
const DUPLICATES_SHOWN = 50;

export const evidencePages = (services: Services) => {
  const { evidence, importFile, directory } = services;
  const app = new Hono<AppEnv>();

  app.get('/evidence', async (c) => {
    const actor = actorOf(c);
    const raw = c.req.query();
    const parsed = recordQuery.safeParse({ ...raw, limit: PAGE_SIZE });
    const query = parsed.success ? parsed.data : recordQuery.parse({ limit: PAGE_SIZE });
    const [result, candidates] = await Promise.all([
      evidence.listRecords(actor, { ...toRecordFilter(query), themeIds: themeFilterOf(raw) }),
      evidence.listCandidates(actor, { limit: 1, offset: 0 }),
    ]);
    const keep = Object.entries(raw).filter(([key, value]) => key !== 'offset' && key !== 'format' && value !== '');
    return render(
      c,
      <LibraryPage
        context={pageContext(c)}
        library={result.library}
        records={result.records}
        total={result.total}
        facets={result.facets}
        filters={emptyForm(Object.fromEntries(keep))}
        query={new URLSearchParams(keep).toString()}
        page={{ offset: query.offset, limit: query.limit }}
        canImport={canImportEvidence(actor)}
        openCandidates={candidates.total}
      />,
    );
  });

  /** The record page; after a refused save, that form as sent with its errors (and 422). */
  const renderRecord = async (c: Context<AppEnv>, actor: Actor, id: RecordId, failed?: { form: 'themes' | 'design'; state: FormState }) => {
    const detail = await evidence.getRecord(actor, id);
    const themeChoices = canSetRecordThemes(actor)
      ? { themes: await directory.listThemes(actor), form: failed?.form === 'themes' ? failed.state : emptyForm({ themeIds: detail.record.themes.map((theme) => theme.id) }) }
      : undefined;
    const designChoice = canSetStudyDesign(actor) ? { form: failed?.form === 'design' ? failed.state : emptyForm({ studyDesign: detail.record.studyDesign }) } : undefined;
    return render(c, <RecordPage context={pageContext(c)} {...detail} themeChoices={themeChoices} designChoice={designChoice} />, failed ? 422 : 200);
  };

  app.get('/evidence/records/:id', (c) => renderRecord(c, actorOf(c), idParam(c, 'record.not_found') as RecordId));

  app.post('/evidence/records/:id/themes', async (c) => {
    const actor = actorOf(c);
    const id = idParam(c, 'record.not_found') as RecordId;
    const body = formBody(await c.req.parseBody({ all: true }));
    const themeIds = formList(body, 'themeIds') as ThemeId[];
    return handleForm(
      () => evidence.setRecordThemes(actor, id, themeIds),
      (errors) => renderRecord(c, actor, id, { form: 'themes', state: { values: { themeIds }, errors } }),
      () => c.redirect(`/evidence/records/${id}#themes-heading`, 303),
    );
  });

  // `automatic` (the form's "Use the automatic grade") hands the design back to the rules.
  app.post('/evidence/records/:id/study-design', async (c) => {
    const actor = actorOf(c);
    const id = idParam(c, 'record.not_found') as RecordId;
    const studyDesign = formText(formBody(await c.req.parseBody()), 'studyDesign') ?? '';
    return handleForm(
      () => evidence.setStudyDesign(actor, id, studyDesign === 'automatic' ? null : studyDesign),
      (errors) => renderRecord(c, actor, id, { form: 'design', state: { values: { studyDesign }, errors } }),
      () => c.redirect(`/evidence/records/${id}#design-heading`, 303),
    );
  });

  app.get('/evidence/duplicates', async (c) => {
    const actor = actorOf(c);
    const page = { number: pageNumberOf(c.req.query('page')), size: DUPLICATES_SHOWN };
    const { candidates, total } = await evidence.listCandidates(actor, { limit: page.size, offset: (page.number - 1) * page.size });
    return render(c, <DuplicatesPage context={pageContext(c)} candidates={candidates} total={total} canDecide={canImportEvidence(actor)} page={page} />);
  });

  app.post('/evidence/duplicates/scan', async (c) => {
    await evidence.scanForDuplicates(actorOf(c));
    return c.redirect('/evidence/duplicates', 303);
  });

  app.post('/evidence/duplicates/:id/merge', async (c) => {
    await evidence.mergeCandidate(actorOf(c), idParam(c, 'candidate.not_found') as CandidateId);
    return c.redirect('/evidence/duplicates', 303);
  });

  app.post('/evidence/duplicates/:id/keep-apart', async (c) => {
    await evidence.keepApart(actorOf(c), idParam(c, 'candidate.not_found') as CandidateId);
    return c.redirect('/evidence/duplicates', 303);
  });

  app.get('/evidence/imports', async (c) => render(c, <ImportsPage context={pageContext(c)} batches={await evidence.listBatches(actorOf(c))} />));

  app.get('/evidence/import', async (c) => {
    if (!canImportEvidence(actorOf(c))) {
      throw new AppError('auth.forbidden', 'Only fellows, leads, administrators and researchers import evidence');
    }
    return render(c, <ImportPage context={pageContext(c)} form={emptyForm()} themes={await directory.listThemes(actorOf(c))} />);
  });

  app.post('/evidence/import', async (c) => {
    const actor = actorOf(c);
    const body = await c.req.parseBody({ all: true });
    const fields = formBody(body);
    const file = body.file;
    const format = formText(fields, 'format');
    const themes = await directory.listThemes(actor);
    const again = (errors: Record<string, string>) => render(c, <ImportPage context={pageContext(c)} form={{ values: fields, errors }} themes={themes} />, 422);
    if (!(file instanceof File) || file.size === 0) {
      return again({ file: 'Choose a file to import' });
    }
    if (format !== undefined && !isImportFormat(format)) {
      return again({ format: 'Choose a format from the list' });
    }
    const source = await sourceFromBytes(file.name, file.stream() as unknown as AsyncIterable<Uint8Array>, file.size);
    try {
      const summary = await importFile(actor, source, {
        format,
        searchQuery: formText(fields, 'query'),
        skipInvalid: formFlag(fields, 'skipInvalid'),
        themeIds: formList(fields, 'themeIds') as ThemeId[],
      });
      return render(c, <ImportSummaryPage context={pageContext(c)} summary={summary} />, importSummaryStatus(summary));
    } catch (error) {
      if (error instanceof AppError && (error.code === 'import.unreadable' || error.code === 'import.unsupported_format')) {
        return again({ file: error.message });
      }
      if (error instanceof AppError && error.code === 'validation.failed' && error.details?.fields) {
        return again(error.details.fields);
      }
      throw error;
    }
  });

  app.get('/evidence/export', async (c) => {
    const actor = actorOf(c);
    const parsed = exportQuery.safeParse({ ...c.req.query(), limit: 200 });
    if (!parsed.success) {
      throw new AppError('validation.failed', 'Choose an export format: ris, csv, csl-json or bibtex');
    }
    const ids = chosenRecordIds(c.req.queries('ids'));
    const records = await evidence.selectForExport(actor, ids ? { ids } : { filter: { ...toRecordFilter(parsed.data), themeIds: themeFilterOf(c.req.query()) }, limit: MAX_EXPORT_RECORDS });
    return exportResponse(c, parsed.data.format, records);
  });

  return app;
};
