import { Hono, type Context } from 'hono';
import { decisionLogCsv, evidenceTableCsv, extractionCsv } from '../../adapters/documents/review-csv.js';
import { renderPng } from '../../adapters/documents/prisma-png.js';
import { renderPrismaSvg } from '../../adapters/documents/prisma-svg.js';
import { writers } from '../../adapters/formats/registry.js';
import type { Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { ExportFormat } from '../../core/evidence/record.js';
import type { EvidenceRecord } from '../../core/evidence/types.js';
import { answerKey, type RawAnswer } from '../../core/reviews/extraction.js';
import { customPrismaLabels, prismaBoxes, prismaLabels, prismaLabelsInputSchema } from '../../core/reviews/prisma.js';
import { extractionFieldsInputSchema } from '../../core/reviews/review.schema.js';
import type { ExtractionField, Review, ReviewId } from '../../core/reviews/types.js';
import { AppError, isAppError, type FieldErrors } from '../../core/shared/errors.js';
import { isUuid, type RecordId } from '../../core/shared/ids.js';
import { emptyForm, type FormState } from '../../web/components/form.js';
import { EvidenceTablePage, ExportsPage } from '../../web/pages/reviews/review-exports-page.js';
import { ExtractionFormPage, ExtractionRecordPage, ExtractionRecordsPage, answerValues, builderRows, type BuilderRow } from '../../web/pages/reviews/review-extraction-page.js';
import { PrismaPage } from '../../web/pages/reviews/review-prisma-page.js';
import type { AppEnv } from '../context.js';
import { formBody, formText, parseWith, type FormBody } from '../validation.js';
import { actorOf, fieldErrorsOf, handleForm, pageContext, render } from './render.js';

const reviewId = (c: Context<AppEnv>): ReviewId => {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) {
    throw new AppError('review.not_found', 'No such review');
  }
  return id as ReviewId;
};

const recordParam = (c: Context<AppEnv>): RecordId => {
  const id = c.req.param('record') ?? '';
  if (!isUuid(id)) {
    throw new AppError('review.record_not_found', 'The record is not in this review');
  }
  return id as RecordId;
};

const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

const raw = (body: FormBody, name: string): string => {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/**
 * The builder's fields as posted, in their new order: fields marked for removal and an untouched
 * blank field are left out; the rest are sorted by their position numbers (ties keep their place).
 */
const builderFromForm = (body: FormBody): BuilderRow[] => {
  const indices = [...new Set(Object.keys(body).flatMap((key) => /^fields\.(\d+)\./.exec(key)?.[1] ?? []))].map(Number).sort((a, b) => a - b);
  return indices
    .map((index) => {
      const name = (part: string) => `fields.${index}.${part}`;
      const position = Number(raw(body, name('order')).trim());
      return {
        row: {
          id: raw(body, name('id')),
          label: raw(body, name('label')),
          kind: raw(body, name('kind')) || 'text',
          choices: raw(body, name('choices')),
          columns: raw(body, name('columns')),
          isRequired: raw(body, name('isRequired')) === 'true',
        },
        isRemoved: raw(body, name('remove')) === 'true',
        position: raw(body, name('order')).trim() !== '' && Number.isFinite(position) ? position : Number.POSITIVE_INFINITY,
        index,
      };
    })
    .filter(({ row, isRemoved }) => !isRemoved && (row.id !== '' || [row.label, row.choices, row.columns].some((text) => text.trim() !== '')))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ row }) => row);
};

/** A record's answers as posted: table cells (`answers.<field>.<row>.<column>`) gathered into rows. */
const answersFromForm = (fields: readonly ExtractionField[], body: FormBody): Record<string, RawAnswer> =>
  Object.fromEntries(
    fields.map((field) => {
      const key = answerKey(field.id);
      if (field.kind !== 'table') {
        return [field.id, raw(body, key)];
      }
      const rows: string[][] = [];
      for (const name of Object.keys(body)) {
        const match = name.startsWith(`${key}.`) ? /^(\d+)\.(\d+)$/.exec(name.slice(key.length + 1)) : null;
        if (match) {
          const row = Number(match[1]);
          const column = Number(match[2]);
          if (row < 1000 && column < field.columns.length) {
            const cells = rows[row] ?? [];
            cells[column] = raw(body, name);
            rows[row] = cells;
          }
        }
      }
      return [field.id, Array.from(rows, (row) => Array.from({ length: field.columns.length }, (_, column) => row?.[column] ?? ''))];
    }),
  );

const stamp = () => new Date().toISOString().slice(0, 10);

/** A file to save: `RV-0001-decisions-2025-06-30.csv`. */
const download = (c: Context<AppEnv>, review: Review, name: string, extension: string, body: string | Uint8Array<ArrayBuffer>, contentType: string) =>
  c.body(body, 200, {
    'content-type': contentType,
    'content-disposition': `attachment; filename="${review.reference}-${name}-${stamp()}.${extension}"`,
  });

/** The review's included records, labelled as included (`label_included` 1 in CSV, ASReview's layout). */
const exportRecords = (c: Context<AppEnv>, review: Review, format: ExportFormat, records: EvidenceRecord[]) => {
  const { write, contentType, extension } = writers[format];
  return download(c, review, 'included', extension, [...write(records.map((record) => ({ ...record, label: true })))].join(''), contentType);
};

/** Data extraction, the PRISMA flow diagram and the exports of a review (issue #5, items 6 to 8). */
export const reviewOutputPages = (services: Services) => {
  const { reviews, extraction } = services;
  const app = new Hono<AppEnv>();

  // Data extraction.
  app.get('/reviews/:id/extraction', async (c) => render(c, <ExtractionRecordsPage context={pageContext(c)} data={await extraction.listRecords(actorOf(c), reviewId(c))} />));

  const renderBuilder = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, rows: BuilderRow[] | undefined, errors: FieldErrors) => {
    const form = await extraction.getForm(actor, id);
    if (!form.canManage) {
      throw new AppError('auth.forbidden', 'Only the review’s leads change the extraction form');
    }
    const status = Object.keys(errors).length > 0 ? 422 : 200;
    return render(c, <ExtractionFormPage context={pageContext(c)} review={form.review} rows={rows ?? builderRows(form.fields)} errors={errors} />, status);
  };

  app.get('/reviews/:id/extraction/form', async (c) => renderBuilder(c, actorOf(c), reviewId(c), undefined, {}));

  app.post('/reviews/:id/extraction/form', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const rows = builderFromForm(formBody(await c.req.parseBody()));
    const input = { fields: rows.map((row) => ({ ...(row.id ? { id: row.id } : {}), label: row.label, kind: row.kind, choices: lines(row.choices), columns: lines(row.columns), isRequired: row.isRequired })) };
    return handleForm(
      () => extraction.saveForm(actor, id, parseWith(extractionFieldsInputSchema, input, 'extraction form')),
      (errors) => renderBuilder(c, actor, id, rows, errors),
      () => c.redirect(`/reviews/${id}/extraction`, 303),
    );
  });

  /**
   * A record's form: its saved answers, or (`form`) what was posted and refused, with `status` 422 for
   * invalid answers or 409 when someone else saved first. The form carries `basis` when given (what the
   * refused form was opened from), otherwise the saved answers' own. `checkError` says why marking the
   * answers as checked was refused.
   */
  const renderRecord = async (
    c: Context<AppEnv>,
    actor: Actor,
    id: ReviewId,
    recordId: RecordId,
    refused: { form?: FormState; status?: 409 | 422; basis?: string | undefined; checkError?: string } = {},
  ) => {
    const data = await extraction.getRecordForm(actor, id, recordId);
    return render(
      c,
      <ExtractionRecordPage
        context={pageContext(c)}
        data={{ ...data, basis: refused.basis ?? data.basis, savedBasis: data.basis, checkError: refused.checkError }}
        form={refused.form ?? emptyForm(answerValues(data.fields, data.values))}
      />,
      refused.status ?? 200,
    );
  };

  app.get('/reviews/:id/extraction/records/:record', async (c) => renderRecord(c, actorOf(c), reviewId(c), recordParam(c)));

  app.post('/reviews/:id/extraction/records/:record', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const recordId = recordParam(c);
    const body = formBody(await c.req.parseBody());
    const { fields } = await extraction.getForm(actor, id);
    const basis = formText(body, 'basis');
    try {
      await extraction.saveAnswers(actor, id, recordId, answersFromForm(fields, body), basis);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (errors) {
        // Someone else saved first is a conflict (409, as on the other pages' forms), not invalid answers (422); either way what was typed is kept.
        // After a conflict the form takes the saved answers' basis, so that saving again replaces them (as its message says); after invalid
        // answers it keeps the basis it was opened from, so that the corrected save still finds anyone else's save in between.
        const isConflict = isAppError(error) && error.code === 'review.extraction_conflict';
        return renderRecord(c, actor, id, recordId, { form: { values: body, errors }, status: isConflict ? 409 : 422, basis: isConflict ? undefined : basis });
      }
      throw error;
    }
    return c.redirect(`/reviews/${id}/extraction#record-${recordId}`, 303);
  });

  // A second member of the team checks a record's saved answers; answers saved meanwhile come back as a conflict, shown on the record's page.
  app.post('/reviews/:id/extraction/records/:record/check', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const recordId = recordParam(c);
    const body = formBody(await c.req.parseBody());
    try {
      await extraction.checkAnswers(actor, id, recordId, formText(body, 'basis') ?? '');
    } catch (error) {
      if (isAppError(error) && error.code === 'review.extraction_conflict') {
        return renderRecord(c, actor, id, recordId, { status: 409, checkError: error.message });
      }
      throw error;
    }
    return c.redirect(`/reviews/${id}/extraction#record-${recordId}`, 303);
  });

  // The PRISMA 2020 flow diagram.
  const diagram = async (actor: Actor, id: ReviewId) => {
    const { review, counts, canManage } = await reviews.getPrisma(actor, id);
    const labels = prismaLabels(review.prismaLabels);
    const svg = renderPrismaSvg({ counts, labels, subject: `${review.reference}: ${review.title}` });
    return { review, counts, labels, svg, canManage };
  };

  const renderPrisma = async (c: Context<AppEnv>, actor: Actor, id: ReviewId, form?: FormState) => {
    const data = await diagram(actor, id);
    const state = form ?? emptyForm(Object.fromEntries(prismaBoxes.map((box) => [box, data.review.prismaLabels[box] ?? ''])));
    return render(c, <PrismaPage context={pageContext(c)} data={data} form={state} />, Object.keys(state.errors).length > 0 ? 422 : 200);
  };

  app.get('/reviews/:id/prisma', async (c) => renderPrisma(c, actorOf(c), reviewId(c)));

  app.get('/reviews/:id/prisma.svg', async (c) => {
    const { review, svg } = await diagram(actorOf(c), reviewId(c));
    return download(c, review, 'prisma', 'svg', `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, 'image/svg+xml; charset=utf-8');
  });

  app.get('/reviews/:id/prisma.png', async (c) => {
    const { review, svg } = await diagram(actorOf(c), reviewId(c));
    return download(c, review, 'prisma', 'png', await renderPng(svg), 'image/png');
  });

  app.post('/reviews/:id/prisma/labels', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const body = formBody(await c.req.parseBody());
    const values = Object.fromEntries(prismaBoxes.map((box) => [box, formText(body, box) ?? '']));
    return handleForm(
      () => reviews.setPrismaLabels(actor, id, customPrismaLabels(parseWith(prismaLabelsInputSchema, values, 'labels'))),
      (errors) => renderPrisma(c, actor, id, { values, errors }),
      () => c.redirect(`/reviews/${id}/prisma`, 303),
    );
  });

  // Exports.
  app.get('/reviews/:id/exports', async (c) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const [review, included] = await Promise.all([reviews.getReview(actor, id), reviews.includedRecords(actor, id)]);
    return render(c, <ExportsPage context={pageContext(c)} review={review} included={included.length} />);
  });

  const includedAs = (format: ExportFormat) => async (c: Context<AppEnv>) => {
    const actor = actorOf(c);
    const id = reviewId(c);
    const [review, records] = await Promise.all([reviews.getReview(actor, id), reviews.includedRecords(actor, id)]);
    return exportRecords(c, review, format, records);
  };
  app.get('/reviews/:id/exports/included.ris', includedAs('ris'));
  app.get('/reviews/:id/exports/included.csv', includedAs('csv'));

  app.get('/reviews/:id/exports/decisions.csv', async (c) => {
    const { review, entries } = await extraction.decisionLog(actorOf(c), reviewId(c));
    return download(c, review, 'decisions', 'csv', decisionLogCsv(entries), 'text/csv; charset=utf-8');
  });

  app.get('/reviews/:id/exports/extraction.csv', async (c) => {
    const { review, fields, rows } = await extraction.evidenceTable(actorOf(c), reviewId(c));
    return download(c, review, 'extraction', 'csv', extractionCsv(fields, rows), 'text/csv; charset=utf-8');
  });

  app.get('/reviews/:id/exports/evidence-table.csv', async (c) => {
    const { review, fields, rows } = await extraction.evidenceTable(actorOf(c), reviewId(c));
    return download(c, review, 'evidence-table', 'csv', evidenceTableCsv(fields, rows), 'text/csv; charset=utf-8');
  });

  app.get('/reviews/:id/exports/evidence-table', async (c) => render(c, <EvidenceTablePage context={pageContext(c)} data={await extraction.evidenceTable(actorOf(c), reviewId(c))} />));

  return app;
};
