import { parse } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, buildWorkspace, reviewInput, testHasher, unique } from '../../test/support/builders.js';
import { buildApp, send, signInAs, type App, type Session } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { Actor } from '../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { NewReviewInput } from '../core/reviews/review.schema.js';
import type { Review, ReviewId } from '../core/reviews/types.js';
import type { RecordId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';

async function* events(records: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of records.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } };
  }
}

const records = (tag: string): Partial<RecordFields>[] =>
  Array.from({ length: 6 }, (_, index) => ({
    title: `Home exercise ${tag} trial ${index} & falls <older people>`,
    abstract: 'Strength and balance exercise at home reduced falls.',
    authors: [`Okafor, Ada${index}`, 'Lindqvist, Bo'],
    year: 2015 + index,
    journal: 'Age and Ageing',
    volume: '44',
    pages: '12-19',
    doi: `10.1000/${tag}.${index}`,
  }));

const csvRows = (text: string): Record<string, string>[] => parse(text, { bom: true, columns: true, skip_empty_lines: true });

/** The text a reader sees in an SVG, parsed as XML (which throws if it is not well-formed). */
const svgText = (svg: string): string => {
  const parser = new SaxesParser();
  const texts: string[] = [];
  let inText = false;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    inText = tag.name === 'text';
  });
  parser.on('text', (text) => {
    if (inText) {
      texts.push(text);
    }
  });
  parser.on('closetag', () => {
    inText = false;
  });
  parser.write(svg).close();
  return texts.join(' ');
};

const builderForm = {
  'fields.0.label': 'Setting',
  'fields.0.kind': 'text',
  'fields.0.isRequired': 'true',
  'fields.0.order': '1',
  'fields.1.label': 'Sample size',
  'fields.1.kind': 'number',
  'fields.1.isRequired': 'true',
  'fields.1.order': '2',
  'fields.2.label': 'Design',
  'fields.2.kind': 'choice',
  'fields.2.choices': 'RCT\nCohort\n\nQualitative',
  'fields.2.order': '3',
  'fields.3.label': 'Outcomes',
  'fields.3.kind': 'table',
  'fields.3.columns': 'Outcome\nEffect',
  'fields.3.isRequired': 'true',
  'fields.3.order': '4',
};

describe.each(testDatabases)('review outputs on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let lead: { actor: Actor; session: Session };
  let screener: { actor: Actor; session: Session };
  let arbiter: Actor;
  let requester: Session;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    const workspace = await buildWorkspace(services);
    const [fellow, researcher, third] = await Promise.all([buildActor(services, 'fellow'), buildActor(services, 'researcher'), buildActor(services, 'researcher')]);
    arbiter = third.actor;
    const [leadSession, screenerSession, requesterSession] = await Promise.all([
      signInAs(app, fellow.email, TEST_PASSWORD),
      signInAs(app, researcher.email, TEST_PASSWORD),
      signInAs(app, workspace.requester.email, TEST_PASSWORD),
    ]);
    lead = { actor: fellow.actor, session: leadSession };
    screener = { actor: researcher.actor, session: screenerSession };
    requester = requesterSession;
  });
  afterAll(async () => {
    await db.close();
  });

  /**
   * A screened review: 6 records from MEDLINE and 2 from Embase (one a duplicate); at title and
   * abstract 6 included and 1 excluded (after a changed mind); at full text 3 included, 2 excluded and
   * 1 not retrieved.
   */
  const screenedReview = async (overrides: Partial<NewReviewInput> = {}) => {
    const review = await services.reviews.createReview(lead.actor, reviewInput(overrides));
    await services.reviews.setTeam(lead.actor, review.id, {
      members: [
        { userId: lead.actor.userId, role: 'lead' },
        { userId: screener.actor.userId, role: 'screener' },
        { userId: arbiter.userId, role: 'arbiter' },
      ],
    });
    const tag = unique('zq').replace(' ', '');
    const all = records(tag);
    const importFile = (source: string, fileName: string, list: Partial<RecordFields>[]) =>
      services.reviews.importRecords(lead.actor, review.id, source, (libraryId) =>
        services.evidenceImport.importRecords(lead.actor, { fileName, format: 'ris', events: events(list), fileSha256: () => 'abc123', searchQuery: 'exercise AND falls', libraryId }),
      );
    await importFile('MEDLINE via Ovid', 'medline.ris', all.slice(0, 6));
    await importFile('Embase', 'embase.ris', [all[0] as Partial<RecordFields>, { ...all[1], title: `Tai chi ${tag} for falls`, doi: `10.1000/${tag}.taichi` }]);
    const { records: inReview } = await services.evidence.listRecords(lead.actor, { libraryId: review.libraryId, limit: 50, offset: 0 });
    const byTitle = (part: string) => inReview.find((record) => record.title.includes(part))?.id as RecordId;
    const ids = [0, 1, 2, 3, 4, 5].map((index) => byTitle(`trial ${index} `));
    const taichi = byTitle('Tai chi');
    const decide = (recordId: RecordId, stage: 'title_abstract' | 'full_text', decision: 'include' | 'exclude' | 'not_retrieved', reason?: string) =>
      services.reviews.decide(lead.actor, review.id, { recordId, stage, decision, reason, modelVersion: stage === 'title_abstract' ? 'protocol' : undefined, rankPosition: stage === 'title_abstract' ? 1 : undefined });
    await decide(ids[0] as RecordId, 'title_abstract', 'exclude', 'Wrong population');
    for (const recordId of [...ids, taichi]) {
      // eslint-disable-next-line no-await-in-loop -- one decision at a time, as a screener works
      await decide(recordId, 'title_abstract', recordId === ids[5] ? 'exclude' : 'include', recordId === ids[5] ? 'Wrong intervention' : undefined);
    }
    const fullText: [RecordId, 'include' | 'exclude' | 'not_retrieved', string?][] = [
      [ids[0] as RecordId, 'include'],
      [ids[1] as RecordId, 'include'],
      [taichi, 'include'],
      [ids[2] as RecordId, 'exclude', 'Wrong population'],
      [ids[3] as RecordId, 'exclude', 'Wrong intervention'],
      [ids[4] as RecordId, 'not_retrieved'],
    ];
    for (const [recordId, decision, reason] of fullText) {
      // eslint-disable-next-line no-await-in-loop -- as above
      await decide(recordId, 'full_text', decision, reason);
    }
    await services.ranker.idle(review.id);
    return { review: await services.reviews.getReview(lead.actor, review.id), ids, taichi };
  };

  const fieldsOf = async (id: ReviewId) => (await services.extraction.getForm(lead.actor, id)).fields;

  it('builds the extraction form: add, reorder, remove, required flags, choices and columns one per line', async () => {
    const { review } = await screenedReview();
    const page = await send(app, `/reviews/${review.id}/extraction/form`, { session: lead.session });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Add a field');

    expect((await send(app, `/reviews/${review.id}/extraction/form`, { session: lead.session, form: builderForm })).status).toBe(303);
    const fields = await fieldsOf(review.id);
    expect(fields.map((field) => [field.label, field.kind, field.isRequired, field.choices, field.columns])).toEqual([
      ['Setting', 'text', true, [], []],
      ['Sample size', 'number', true, [], []],
      ['Design', 'choice', false, ['RCT', 'Cohort', 'Qualitative'], []],
      ['Outcomes', 'table', true, [], ['Outcome', 'Effect']],
    ]);

    // The page shows the saved fields with their ids; swapping two positions reorders, a tick removes.
    const html = await (await send(app, `/reviews/${review.id}/extraction/form`, { session: lead.session })).text();
    const ids = [...html.matchAll(/name="fields\.(\d+)\.id" value="([0-9a-f-]{36})"/g)].map((match) => match[2]);
    expect(ids).toEqual(fields.map((field) => field.id));
    expect(html).toContain('RCT\nCohort\nQualitative');
    const reordered = await send(app, `/reviews/${review.id}/extraction/form`, {
      session: lead.session,
      form: {
        ...builderForm,
        'fields.0.id': ids[0] ?? '',
        'fields.0.order': '2',
        'fields.1.id': ids[1] ?? '',
        'fields.1.order': '1',
        'fields.2.id': ids[2] ?? '',
        'fields.2.remove': 'true',
        'fields.3.id': ids[3] ?? '',
        'fields.4.label': 'Notes',
        'fields.4.kind': 'text',
        'fields.4.order': '5',
      },
    });
    expect(reordered.status).toBe(303);
    const after = await fieldsOf(review.id);
    expect(after.map((field) => field.label)).toEqual(['Sample size', 'Setting', 'Outcomes', 'Notes']);
    // Fields kept keep their ids (and so their answers).
    expect(after.slice(0, 3).map((field) => field.id)).toEqual([ids[1], ids[0], ids[3]]);

    // Errors come back on the form, in place, with what was typed.
    const unlabelled = await send(app, `/reviews/${review.id}/extraction/form`, {
      session: lead.session,
      form: { 'fields.0.label': 'Design', 'fields.0.kind': 'choice', 'fields.0.choices': 'RCT\nCohort', 'fields.1.label': '', 'fields.1.kind': 'table', 'fields.1.columns': 'Outcome' },
    });
    expect(unlabelled.status).toBe(422);
    const unlabelledHtml = await unlabelled.text();
    expect(unlabelledHtml).toContain('<a href="#fields.1.label">Enter a label</a>');
    expect(unlabelledHtml).toContain('>Outcome</textarea>');
    const oneChoice = await send(app, `/reviews/${review.id}/extraction/form`, {
      session: lead.session,
      form: { 'fields.0.label': 'Design', 'fields.0.kind': 'choice', 'fields.0.choices': 'RCT', 'fields.1.label': 'design', 'fields.1.kind': 'table' },
    });
    expect(oneChoice.status).toBe(422);
    const oneChoiceHtml = await oneChoice.text();
    expect(oneChoiceHtml).toContain('Enter at least two choices for “Design”, one per line');
    expect(oneChoiceHtml).toContain('Enter at least one column for “design”, one per line');
    expect(oneChoiceHtml).toContain('Another field is already called “design”');
    expect((await fieldsOf(review.id)).map((field) => field.label)).toEqual(['Sample size', 'Setting', 'Outcomes', 'Notes']);
  });

  it('fills an included record’s form: a bad number is refused with the field’s message, then the record is complete', async () => {
    const { review, ids, taichi } = await screenedReview();
    await services.extraction.saveForm(lead.actor, review.id, {
      fields: [
        { label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: true },
        { label: 'Sample size', kind: 'number', choices: [], columns: [], isRequired: true },
        { label: 'Design', kind: 'choice', choices: ['RCT', 'Cohort'], columns: [], isRequired: false },
        { label: 'Outcomes', kind: 'table', choices: [], columns: ['Outcome', 'Effect'], isRequired: false },
      ],
    });
    const [setting, size, design, outcomes] = (await fieldsOf(review.id)).map((field) => `answers.${field.id}`) as [string, string, string, string];
    const list = await (await send(app, `/reviews/${review.id}/extraction`, { session: screener.session })).text();
    expect(list).toContain('Included records (3)');
    expect(list).toMatch(/0 of 4/);
    expect(list).not.toContain(`/extraction/records/${ids[2]}`);

    const recordPath = `/reviews/${review.id}/extraction/records/${ids[0]}`;
    const form = await send(app, recordPath, { session: screener.session });
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Design (optional)</legend>');
    expect(formHtml).toContain('<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Outcomes</caption>');

    const answers = { [setting]: 'Community', [size]: 'about 120', [design]: 'RCT', [`${outcomes}.0.0`]: 'Falls', [`${outcomes}.0.1`]: 'RR 0.8; 95% CI 0.7 to 0.9' };
    const bad = await send(app, recordPath, { session: screener.session, form: answers });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('“Sample size” must be a number, like 120 or 3.5');
    expect(badHtml).toContain(`href="#${size}"`);
    expect(badHtml).toContain('value="about 120"');
    expect(badHtml).toContain('value="RR 0.8; 95% CI 0.7 to 0.9"');
    expect((await services.extraction.getRecordForm(lead.actor, review.id, ids[0] as RecordId)).values.size).toBe(0);

    const good = await send(app, recordPath, {
      session: screener.session,
      form: { ...answers, [size]: '120', [`${outcomes}.1.0`]: 'Fractures', [`${outcomes}.1.1`]: 'RR 0.9 | n.s.' },
    });
    expect(good.status).toBe(303);
    await send(app, `/reviews/${review.id}/extraction/records/${taichi}`, { session: lead.session, form: { [setting]: 'Home', [size]: '45.5' } });
    // Two people on the same record: the page carries what it was filled from, and a save made from
    // an out-of-date page writes nothing over the newer answers; saving again (from the new page) does.
    const basisOf = (html: string) => /name="basis" value="([0-9a-f]{16})"/.exec(html)?.[1] ?? '';
    const stalePage = await (await send(app, recordPath, { session: lead.session })).text();
    await send(app, recordPath, { session: screener.session, form: { ...answers, [size]: '121', basis: basisOf(await (await send(app, recordPath, { session: screener.session })).text()) } });
    const overwrite = await send(app, recordPath, { session: lead.session, form: { ...answers, [size]: '999', basis: basisOf(stalePage) } });
    // A conflict, as docs/errors.md says (409, not 422: nothing typed was invalid), re-rendered with
    // every unsaved answer kept and a callout saying that someone else saved first.
    expect(overwrite.status).toBe(409);
    const overwriteHtml = await overwrite.text();
    expect(overwriteHtml).toMatch(/<title>Error: /);
    expect(overwriteHtml).toContain('<a href="#_form">Someone saved answers for this record while you were filling it in.');
    expect(overwriteHtml).toMatch(/<div class="nhsuk-warning-callout" id="_form">[\s\S]*?Not saved[\s\S]*?Someone saved answers for this record while you were filling it in\. Your answers are below and theirs were kept/);
    expect(overwriteHtml).toContain('value="999"');
    expect(overwriteHtml).toContain('Community</textarea>');
    expect(overwriteHtml).toContain('value="RR 0.8; 95% CI 0.7 to 0.9"');
    expect(overwriteHtml).toMatch(/value="RCT"[^>]*checked/);
    expect((await services.extraction.getRecordForm(lead.actor, review.id, ids[0] as RecordId)).values.get(size.slice('answers.'.length))).toBe(121);
    expect((await send(app, recordPath, { session: lead.session, form: { ...answers, [size]: '120', [`${outcomes}.1.0`]: 'Fractures', [`${outcomes}.1.1`]: 'RR 0.9 | n.s.', basis: basisOf(overwriteHtml) } })).status).toBe(303);

    const done = await (await send(app, `/reviews/${review.id}/extraction`, { session: lead.session })).text();
    expect(done).toMatch(new RegExp(`id="record-${ids[0]}"[\\s\\S]*?4 of 4[\\s\\S]*?Complete`));
    expect(done).toMatch(new RegExp(`id="record-${taichi}"[\\s\\S]*?2 of 4[\\s\\S]*?Complete`));
    expect(done).toMatch(new RegExp(`id="record-${ids[1]}"[\\s\\S]*?0 of 4[\\s\\S]*?Not started`));

    // A record that was not included has no form.
    expect((await send(app, `/reviews/${review.id}/extraction/records/${ids[2]}`, { session: lead.session })).status).toBe(404);

    // The extraction CSV: one row per included record, a column per field, tables written readably.
    const csv = await send(app, `/reviews/${review.id}/exports/extraction.csv`, { session: lead.session });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${review.reference}-extraction-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const rows = csvRows(await csv.text());
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0] ?? {})).toEqual(['record_id', 'title', 'authors', 'year', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', 'Setting', 'Sample size', 'Design', 'Outcomes', 'checked_by', 'checked_at']);
    const first = rows.find((row) => row.record_id === ids[0]);
    expect(first).toMatchObject({
      title: expect.stringContaining('& falls <older people>'),
      authors: 'Okafor, Ada0; Lindqvist, Bo',
      year: '2015',
      Setting: 'Community',
      'Sample size': '120',
      Design: 'RCT',
      Outcomes: 'Outcome: Falls; Effect: RR 0.8\\; 95% CI 0.7 to 0.9 | Outcome: Fractures; Effect: RR 0.9 \\| n.s.',
    });
    expect(rows.find((row) => row.record_id === taichi)).toMatchObject({ Setting: 'Home', 'Sample size': '45.5', Design: '', Outcomes: '' });

    // The evidence table, as CSV and as a page.
    const table = csvRows(await (await send(app, `/reviews/${review.id}/exports/evidence-table.csv`, { session: lead.session })).text());
    expect(Object.keys(table[0] ?? {})).toEqual(['Citation', 'Year', 'Study design', 'Evidence level', 'Setting', 'Sample size', 'Design', 'Outcomes']);
    expect(table.find((row) => row.Setting === 'Community')).toMatchObject({ Citation: expect.stringMatching(/^Okafor A, Lindqvist B\. Home exercise .* Age and Ageing\. 2015;44:12-19\.$/), Year: '2015' });
    const tablePage = await (await send(app, `/reviews/${review.id}/exports/evidence-table`, { session: lead.session })).text();
    expect(tablePage).toContain('<caption class="nhsuk-table__caption" id="evidence-table-caption">');
    expect(tablePage).toContain('<th scope="col">Sample size</th>');
    expect(tablePage).toContain('&amp; falls &lt;older people&gt;');
  });

  it('lets a second member of the team check a record’s answers, never the person who saved them, and only the answers as they are', async () => {
    const { review, ids } = await screenedReview();
    await services.extraction.saveForm(lead.actor, review.id, {
      fields: [
        { label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: true },
        { label: 'Sample size', kind: 'number', choices: [], columns: [], isRequired: false },
      ],
    });
    const [setting, size] = (await fieldsOf(review.id)).map((field) => `answers.${field.id}`) as [string, string];
    const recordPath = `/reviews/${review.id}/extraction/records/${ids[0]}`;
    const checkPath = `${recordPath}/check`;
    const savedBasis = (html: string) => /action="[^"]*\/check"[\s\S]*?name="basis" value="([0-9a-f]{16})"/.exec(html)?.[1];
    // Nothing to check before the required answers are in.
    expect(await (await send(app, recordPath, { session: screener.session })).text()).toContain('Not checked yet.');
    expect((await send(app, checkPath, { session: screener.session, form: { basis: 'x' } })).status).toBe(409);

    // The screener extracts; they may not check their own answers, and the page says why instead of offering it.
    expect((await send(app, recordPath, { session: screener.session, form: { [setting]: 'Community', [size]: '120' } })).status).toBe(303);
    const own = await (await send(app, recordPath, { session: screener.session })).text();
    expect(savedBasis(own)).toBeUndefined();
    expect(own).toContain('A second member of the team checks the answers: you saved some of them.');
    expect((await send(app, checkPath, { session: screener.session, form: { basis: 'x' } })).status).toBe(403);

    // The lead checks what they read.
    const leadPage = await (await send(app, recordPath, { session: lead.session })).text();
    const basis = savedBasis(leadPage) ?? '';
    expect(basis).toMatch(/^[0-9a-f]{16}$/);
    // Answers saved again meanwhile (here by the arbiter) make the check of the old ones a conflict: nothing is marked.
    await services.extraction.saveAnswers(arbiter, review.id, ids[0] as RecordId, { [setting.slice('answers.'.length)]: 'Community centres', [size.slice('answers.'.length)]: '120' });
    const stale = await send(app, checkPath, { session: lead.session, form: { basis } });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('The answers were saved again while you were checking them: read them again before you mark them as checked.');
    expect((await services.extraction.getRecordForm(lead.actor, review.id, ids[0] as RecordId)).check).toBeUndefined();
    const fresh = savedBasis(await (await send(app, recordPath, { session: lead.session })).text()) ?? '';
    expect((await send(app, checkPath, { session: lead.session, form: { basis: fresh } })).status).toBe(303);
    const checked = await (await send(app, recordPath, { session: lead.session })).text();
    expect(checked).toMatch(new RegExp(`Checked by ${lead.actor.name}, `));
    expect(savedBasis(checked)).toBeUndefined();
    expect((await send(app, checkPath, { session: lead.session, form: { basis: fresh } })).status).toBe(409);
    const list = await (await send(app, `/reviews/${review.id}/extraction`, { session: screener.session })).text();
    expect(list).toMatch(new RegExp(`id="record-${ids[0]}"[\\s\\S]*?Complete and checked[\\s\\S]*?Checked by ${lead.actor.name}`));
    const csvRow = csvRows(await (await send(app, `/reviews/${review.id}/exports/extraction.csv`, { session: lead.session })).text()).find((row) => row.record_id === ids[0]);
    expect(csvRow).toMatchObject({ Setting: 'Community centres', checked_by: lead.actor.name });
    expect(csvRow?.checked_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Saving the answers again after the check: they need checking again, and the export no longer says checked.
    expect((await send(app, recordPath, { session: screener.session, form: { [setting]: 'Community centres', [size]: '121' } })).status).toBe(303);
    const changed = await (await send(app, recordPath, { session: lead.session })).text();
    expect(changed).toContain(`${lead.actor.name} checked an earlier version of these answers`);
    expect(savedBasis(changed)).toMatch(/^[0-9a-f]{16}$/);
    expect(csvRows(await (await send(app, `/reviews/${review.id}/exports/extraction.csv`, { session: lead.session })).text()).find((row) => row.record_id === ids[0])).toMatchObject({
      checked_by: '',
      checked_at: '',
    });
    // Someone not on the review cannot check at all.
    expect((await send(app, checkPath, { session: requester, form: { basis: fresh } })).status).toBe(404);
  });

  it('keeps what the form was opened from when answers are refused as invalid, so that a later save still finds someone else’s save in between', async () => {
    const { review, ids } = await screenedReview();
    await services.extraction.saveForm(lead.actor, review.id, {
      fields: [
        { label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: true },
        { label: 'Sample size', kind: 'number', choices: [], columns: [], isRequired: true },
      ],
    });
    const [setting, size] = (await fieldsOf(review.id)).map((field) => `answers.${field.id}`) as [string, string];
    const recordPath = `/reviews/${review.id}/extraction/records/${ids[0]}`;
    const basisOf = (html: string) => /name="basis" value="([0-9a-f]{16})"/.exec(html)?.[1] ?? '';
    const saved = async () => {
      const { values } = await services.extraction.getRecordForm(lead.actor, review.id, ids[0] as RecordId);
      return { setting: values.get(setting.slice('answers.'.length)), size: values.get(size.slice('answers.'.length)) };
    };

    // The lead opens the record's form; the screener then opens it too and saves.
    const opened = basisOf(await (await send(app, recordPath, { session: lead.session })).text());
    expect(opened).not.toBe('');
    const theirs = await send(app, recordPath, { session: screener.session, form: { [setting]: 'Care home', [size]: '64', basis: basisOf(await (await send(app, recordPath, { session: screener.session })).text()) } });
    expect(theirs.status).toBe(303);

    // The lead's answers are refused as invalid: the form comes back with what was typed, and with
    // what it was opened from, not the screener's newer answers.
    const invalid = await send(app, recordPath, { session: lead.session, form: { [setting]: 'Community', [size]: 'about 120', basis: opened } });
    expect(invalid.status).toBe(422);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain('“Sample size” must be a number, like 120 or 3.5');
    expect(invalidHtml).toContain('value="about 120"');
    expect(basisOf(invalidHtml)).toBe(opened);

    // Corrected and saved again from that page: a conflict, and the screener's answers are kept.
    const corrected = await send(app, recordPath, { session: lead.session, form: { [setting]: 'Community', [size]: '120', basis: basisOf(invalidHtml) } });
    expect(corrected.status).toBe(409);
    const correctedHtml = await corrected.text();
    expect(correctedHtml).toContain('Someone saved answers for this record while you were filling it in');
    expect(correctedHtml).toContain('value="120"');
    expect(await saved()).toEqual({ setting: 'Care home', size: 64 });

    // Having been told, the lead may save again from the conflict page to replace them.
    expect((await send(app, recordPath, { session: lead.session, form: { [setting]: 'Community', [size]: '120', basis: basisOf(correctedHtml) } })).status).toBe(303);
    expect(await saved()).toEqual({ setting: 'Community', size: 120 });

    // Refused answers without a basis (a form from before forms carried one) come back with the saved answers' basis, as before.
    const withoutBasis = await send(app, recordPath, { session: lead.session, form: { [setting]: 'Community', [size]: 'many' } });
    expect(withoutBasis.status).toBe(422);
    expect(basisOf(await withoutBasis.text())).toBe(basisOf(await (await send(app, recordPath, { session: lead.session })).text()));
  });

  it('exports the included records as RIS and CSV, and every decision and resolution as the decision log', async () => {
    const { review, ids, taichi } = await screenedReview();
    const page = await (await send(app, `/reviews/${review.id}/exports`, { session: screener.session })).text();
    for (const path of ['included.ris', 'included.csv', 'decisions.csv', 'extraction.csv', 'evidence-table.csv']) {
      expect(page).toContain(`href="/reviews/${review.id}/exports/${path}"`);
    }
    const ris = await send(app, `/reviews/${review.id}/exports/included.ris`, { session: lead.session });
    expect(ris.headers.get('content-type')).toMatch(/^application\/x-research-info-systems/);
    const risText = await ris.text();
    expect(risText.match(/^TY {2}- /gm)).toHaveLength(3);
    expect(risText).toContain('Tai chi');
    // Labelled as included, as ASReview writes and reads them.
    expect(risText.match(/^N1 {2}- ASReview_relevant$/gm)).toHaveLength(3);
    const included = csvRows(await (await send(app, `/reviews/${review.id}/exports/included.csv`, { session: lead.session })).text());
    expect(included.map((row) => row.title).sort()).toEqual(expect.arrayContaining([expect.stringContaining('trial 0 '), expect.stringContaining('trial 1 '), expect.stringContaining('Tai chi')]));
    expect(included).toHaveLength(3);
    expect(included.map((row) => row.label_included)).toEqual(['1', '1', '1']);

    const log = csvRows(await (await send(app, `/reviews/${review.id}/exports/decisions.csv`, { session: lead.session })).text());
    // 1 retired + 7 at title and abstract + 6 at full text.
    expect(log).toHaveLength(14);
    expect(Object.keys(log[0] ?? {})).toEqual(['record_id', 'title', 'stage', 'screener', 'screener_id', 'decision', 'reason', 'decided_at', 'model_version', 'rank_position', 'status', 'entry']);
    expect(log[0]).toMatchObject({
      record_id: ids[0],
      title: expect.stringContaining('trial 0 '),
      stage: 'title_abstract',
      screener: lead.actor.name,
      screener_id: lead.actor.userId,
      decision: 'exclude',
      reason: 'Wrong population',
      decided_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      model_version: 'protocol',
      rank_position: '1',
      status: 'retired',
      entry: 'decision',
    });
    expect(log.filter((row) => row.status === 'retired')).toHaveLength(1);
    expect(log.filter((row) => row.stage === 'full_text').map((row) => row.decision)).toEqual(['include', 'include', 'include', 'exclude', 'exclude', 'not_retrieved']);
    expect(log.find((row) => row.record_id === taichi && row.stage === 'full_text')).toMatchObject({ model_version: '', rank_position: '', status: 'current' });

    // Dual screening: a conflict resolved by the arbiter is a row of its own.
    const dual = await services.reviews.createReview(lead.actor, reviewInput({ isDual: true }));
    await services.reviews.setTeam(lead.actor, dual.id, {
      members: [
        { userId: lead.actor.userId, role: 'lead' },
        { userId: screener.actor.userId, role: 'screener' },
        { userId: arbiter.userId, role: 'arbiter' },
      ],
    });
    await services.reviews.importRecords(lead.actor, dual.id, 'Embase', (libraryId) =>
      services.evidenceImport.importRecords(lead.actor, { fileName: 'e.ris', format: 'ris', events: events(records(unique('zq').replace(' ', '')).slice(0, 1)), fileSha256: () => 'x', libraryId }),
    );
    const [recordId] = (await services.reviews.overview(lead.actor, dual.id)).progress.map((entry) => entry.recordId);
    await services.reviews.decide(lead.actor, dual.id, { recordId: recordId as string, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(screener.actor, dual.id, { recordId: recordId as string, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    await services.reviews.resolveConflict(arbiter, dual.id, { recordId: recordId as string, stage: 'title_abstract', decision: 'include' });
    await services.ranker.idle(dual.id);
    const dualLog = csvRows(await (await send(app, `/reviews/${dual.id}/exports/decisions.csv`, { session: lead.session })).text());
    expect(dualLog.map((row) => [row.screener_id, row.decision, row.entry])).toEqual([
      [lead.actor.userId, 'include', 'decision'],
      [screener.actor.userId, 'exclude', 'decision'],
      [arbiter.userId, 'include', 'resolution'],
    ]);
    expect(dualLog[2]).toMatchObject({ screener: arbiter.name, status: 'current', stage: 'title_abstract' });
  });

  it('marks the PRISMA diagram provisional while records wait for a final decision, in words that agree with the count', async () => {
    const review = await services.reviews.createReview(lead.actor, reviewInput());
    const tag = unique('zq').replace(' ', '');
    await services.reviews.importRecords(lead.actor, review.id, 'MEDLINE', (libraryId) =>
      services.evidenceImport.importRecords(lead.actor, { fileName: 'one.ris', format: 'ris', events: events(records(tag).slice(0, 1)), fileSha256: () => 'x', libraryId }),
    );
    const one = await (await send(app, `/reviews/${review.id}/prisma`, { session: lead.session })).text();
    const callout = /<div class="nhsuk-warning-callout" id="prisma-provisional">([\s\S]*?)<\/div>/.exec(one)?.[1] ?? '';
    expect(callout.replace(/\s+/g, ' ')).toContain('1 record at title and abstract has no final decision yet');
    await services.reviews.importRecords(lead.actor, review.id, 'MEDLINE', (libraryId) =>
      services.evidenceImport.importRecords(lead.actor, { fileName: 'two.ris', format: 'ris', events: events(records(tag).slice(1, 3)), fileSha256: () => 'y', libraryId }),
    );
    const three = await (await send(app, `/reviews/${review.id}/prisma`, { session: lead.session })).text();
    expect(three.replace(/\s+/g, ' ')).toContain('3 records at title and abstract have no final decision yet');
  });

  it('draws the PRISMA diagram from the real counts, with the leads’ wording, as SVG and PNG', async () => {
    const { review } = await screenedReview();
    const page = await send(app, `/reviews/${review.id}/prisma`, { session: screener.session });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    // A screener sees the diagram but not the wording form.
    expect(html).not.toContain(`action="/reviews/${review.id}/prisma/labels"`);
    const counts = /<table class="nhsuk-table" id="prisma-counts">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const rows = [...counts.matchAll(/<th scope="row"[^>]*>([^<]*)<\/th>\s*<td[^>]*>(\d+)<\/td>/g)].map((match) => [match[1], Number(match[2])]);
    expect(rows).toEqual([
      ['Records identified', 8],
      ['MEDLINE via Ovid', 6],
      ['Embase', 2],
      ['Duplicate records removed before screening', 1],
      ['Records removed for other reasons', 0],
      ['Records screened', 7],
      ['Records excluded', 1],
      ['Reports sought for retrieval', 6],
      ['Reports not retrieved', 1],
      ['Reports assessed for eligibility', 5],
      ['Reports excluded', 2],
      ['Wrong intervention', 1],
      ['Wrong population', 1],
      ['Studies included in review', 3],
    ]);

    const labels = { identified: '', screened: 'Titles & abstracts screened <by one person>', included: 'Studies included' };
    const saved = await send(app, `/reviews/${review.id}/prisma/labels`, { session: lead.session, form: labels });
    expect(saved.status).toBe(303);
    expect((await services.reviews.getReview(lead.actor, review.id)).prismaLabels).toEqual({ screened: 'Titles & abstracts screened <by one person>', included: 'Studies included' });

    const svgResponse = await send(app, `/reviews/${review.id}/prisma.svg`, { session: lead.session });
    expect(svgResponse.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(svgResponse.headers.get('content-disposition')).toMatch(/filename="RV-\d{4,}-prisma-\d{4}-\d{2}-\d{2}\.svg"/);
    const text = svgText(await svgResponse.text());
    expect(text).toContain('Titles & abstracts screened <by one person> (n = 7)');
    expect(text).toContain('Studies included (n = 3)');
    expect(text).toContain('MEDLINE via Ovid (n = 6)');
    expect(text).toContain('Wrong population (n = 1)');

    // An empty field restores the template's wording.
    await send(app, `/reviews/${review.id}/prisma/labels`, { session: lead.session, form: { screened: '', included: 'Studies included' } });
    expect((await services.reviews.getReview(lead.actor, review.id)).prismaLabels).toEqual({ included: 'Studies included' });
    const tooLong = await send(app, `/reviews/${review.id}/prisma/labels`, { session: lead.session, form: { heading: 'x'.repeat(201) } });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('Keep the label to 200 characters or fewer');

    const png = await send(app, `/reviews/${review.id}/prisma.png`, { session: screener.session });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(20_000);
    expect(bytes.length).toBeLessThan(2_000_000);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(16)).toBe(1760);
  });

  it('keeps everything from people who are not on the review, the form and wording to its leads, and every post to the CSRF token', async () => {
    const { review, ids } = await screenedReview();
    const paths = [
      'extraction',
      'extraction/form',
      `extraction/records/${ids[0]}`,
      'prisma',
      'prisma.svg',
      'prisma.png',
      'exports',
      'exports/included.ris',
      'exports/included.csv',
      'exports/decisions.csv',
      'exports/extraction.csv',
      'exports/evidence-table.csv',
      'exports/evidence-table',
    ];
    for (const path of paths) {
      // eslint-disable-next-line no-await-in-loop -- a handful of requests, each checked
      expect((await send(app, `/reviews/${review.id}/${path}`, { session: requester })).status, path).toBe(404);
    }
    expect((await send(app, `/reviews/${review.id}/prisma/labels`, { session: requester, form: { screened: 'Mine' } })).status).toBe(404);
    expect((await send(app, '/reviews/not-a-uuid/prisma', { session: lead.session })).status).toBe(404);

    // A screener fills forms but does not change the form or the wording.
    expect((await send(app, `/reviews/${review.id}/extraction/form`, { session: screener.session })).status).toBe(403);
    expect((await send(app, `/reviews/${review.id}/extraction/form`, { session: screener.session, form: builderForm })).status).toBe(403);
    expect((await send(app, `/reviews/${review.id}/prisma/labels`, { session: screener.session, form: { screened: 'Mine' } })).status).toBe(403);
    expect(await fieldsOf(review.id)).toEqual([]);
    expect((await services.reviews.getReview(lead.actor, review.id)).prismaLabels).toEqual({});

    // Without the CSRF token nothing is written.
    expect((await send(app, `/reviews/${review.id}/extraction/form`, { session: lead.session, form: builderForm, csrf: null })).status).toBe(403);
    expect((await send(app, `/reviews/${review.id}/prisma/labels`, { session: lead.session, form: { screened: 'x' }, csrf: null })).status).toBe(403);
    await services.extraction.saveForm(lead.actor, review.id, { fields: [{ label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: false }] });
    const [setting] = await fieldsOf(review.id);
    const recordPath = `/reviews/${review.id}/extraction/records/${ids[0]}`;
    expect((await send(app, recordPath, { session: screener.session, form: { [`answers.${setting?.id}`]: 'Home' }, csrf: null })).status).toBe(403);
    expect((await send(app, recordPath, { session: screener.session, form: { [`answers.${setting?.id}`]: 'Home' }, csrf: 'forged' })).status).toBe(403);
    expect((await services.extraction.getRecordForm(lead.actor, review.id, ids[0] as RecordId)).values.size).toBe(0);
    expect((await send(app, recordPath, { session: screener.session, form: { [`answers.${setting?.id}`]: 'Home' } })).status).toBe(303);
  });

  it('lets staff who are not on the team read the answers but not fill them', async () => {
    const { review, ids } = await screenedReview();
    const staff = await buildActor(services, 'lead');
    const session = await signInAs(app, staff.email, TEST_PASSWORD);
    await services.extraction.saveForm(lead.actor, review.id, { fields: [{ label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: false }] });
    const [setting] = await fieldsOf(review.id);
    await services.extraction.saveAnswers(lead.actor, review.id, ids[0] as RecordId, { [setting?.id ?? '']: 'Community <care>' });
    const page = await (await send(app, `/reviews/${review.id}/extraction/records/${ids[0]}`, { session })).text();
    expect(page).toContain('id="answers"');
    expect(page).toContain('Community &lt;care&gt;');
    expect(page).not.toContain('Save answers');
    expect((await send(app, `/reviews/${review.id}/extraction/records/${ids[0]}`, { session, form: { [`answers.${setting?.id}`]: 'x' } })).status).toBe(403);
    // The ARC's leads may step in on the form itself (canManageReview).
    expect((await send(app, `/reviews/${review.id}/extraction/form`, { session })).status).toBe(200);
    void (review satisfies Review);
  });
});
