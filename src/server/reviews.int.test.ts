import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, buildWorkspace, needInput, testHasher } from '../../test/support/builders.js';
import { buildApp, send, signInAs, type App, type Session } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import { prismaCounts } from '../core/reviews/prisma.js';
import type { ReviewId } from '../core/reviews/types.js';
import type { Actor } from '../core/accounts/roles.js';
import type { Database } from '../adapters/db/database.js';

const ris = (tag: string) =>
  [
    ...Array.from({ length: 6 }, (_, index) => [
      'TY  - JOUR',
      `TI  - Home exercise ${tag} programme ${index} to prevent falls in older people`,
      'AB  - Strength and balance exercise at home reduced falls.',
      `AU  - Okafor, A${index}`,
      `DO  - 10.1000/${tag}.${index}`,
      'PY  - 2021',
      'ER  - ',
    ]),
    ['TY  - JOUR', `TI  - Fluoride varnish ${tag} in school children`, 'AB  - Caries fell.', 'AU  - Lindqvist, B', `DO  - 10.1000/${tag}.teeth`, 'PY  - 2019', 'ER  - '],
  ]
    .flat()
    .join('\n');

describe.each(testDatabases)('review pages on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let lead: Session;
  let leadActor: Actor;
  let requester: Session;
  let needId: string;
  const tag = `zq${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    const workspace = await buildWorkspace(services);
    const fellow = await buildActor(services, 'fellow');
    leadActor = fellow.actor;
    const need = await services.needs.submitNeed(workspace.requester.actor, needInput({ title: `Falls after discharge ${tag}`, population: 'Older people leaving hospital' }));
    needId = need.id;
    [lead, requester] = await Promise.all([signInAs(app, fellow.email, TEST_PASSWORD), signInAs(app, workspace.requester.email, TEST_PASSWORD)]);
  });
  afterAll(async () => {
    await db.close();
  });

  const protocol = (overrides: Record<string, string> = {}) => ({
    title: `Home exercise and falls ${tag}`,
    question: 'Does home exercise prevent falls in older people after discharge?',
    framework: 'pico',
    'pico.population': 'Older people leaving hospital',
    'pico.intervention': 'Home exercise',
    inclusionCriteria: 'Randomised trials',
    exclusionReasons: 'Wrong population\nWrong intervention',
    includeKeywords: 'exercise\nfall*',
    excludeKeywords: 'children',
    isDual: 'false',
    isBlind: 'true',
    model: 'nb',
    randomShare: '0',
    ...overrides,
  });

  const startReview = async (): Promise<ReviewId> => {
    const response = await send(app, '/reviews', { session: lead, form: { ...protocol(), needId } });
    expect(response.status).toBe(303);
    return (response.headers.get('location') ?? '').split('/').at(-1) as ReviewId;
  };

  /** A dual-screened review of `ris(recordTag)`, its team the lead, a screener and an arbiter. */
  const dualReview = async (recordTag: string) => {
    const created = await send(app, '/reviews', { session: lead, form: protocol({ isDual: 'true' }) });
    expect(created.status).toBe(303);
    const id = (created.headers.get('location') ?? '').split('/').at(-1) as ReviewId;
    const [screener, arbiter] = await Promise.all([buildActor(services, 'researcher'), buildActor(services, 'fellow')]);
    await services.reviews.setTeam(leadActor, id, {
      members: [
        { userId: leadActor.userId, role: 'lead' },
        { userId: screener.actor.userId, role: 'screener' },
        { userId: arbiter.actor.userId, role: 'arbiter' },
      ],
    });
    const upload = new FormData();
    upload.append('file', new File([ris(recordTag)], 'medline.ris'));
    expect((await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload })).status).toBe(200);
    return { id, screener, arbiter };
  };

  /** A request, with the statements it sent about the review and how many of them read its screening decisions. */
  const queriesAbout = async (id: ReviewId, request: () => Promise<Response>) => {
    // A retrain after a decision reads the decisions too, in the background: let it finish first.
    await services.ranker.idle(id);
    const query = vi.spyOn(db, 'query');
    try {
      const response = await request();
      const texts = query.mock.calls.filter(([, params]) => params?.includes(id)).map(([text]) => text);
      return { response, texts, decisionReads: texts.filter((text) => /\bfrom screening_decisions\b/.test(text)).length };
    } finally {
      query.mockRestore();
    }
  };

  it('starts a review from a need, with the need’s question offered, and shows its form errors in place', async () => {
    const form = await send(app, `/reviews/new?needId=${needId}`, { session: lead });
    expect(await form.text()).toContain('Older people leaving hospital');
    const bad = await send(app, '/reviews', { session: lead, form: protocol({ title: 'x', randomShare: '80' }) });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Enter a title of at least 5 characters');
    expect(html).toContain('Enter random picks between 0% and 50%');
    // Too long: each message says which limit, and a framework field's message sits beside that field.
    const long = await send(app, '/reviews', { session: lead, form: protocol({ question: 'q'.repeat(4001), 'pico.population': 'p'.repeat(2001) }) });
    expect(long.status).toBe(422);
    const longHtml = await long.text();
    expect(longHtml).toContain('The review question must be 4000 characters or fewer');
    expect(longHtml).toMatch(/id="pico\.population-error">\s*<span class="nhsuk-u-visually-hidden">Error: <\/span>Must be 2000 characters or fewer/);
    expect(longHtml).toContain('<a href="#pico.population">Must be 2000 characters or fewer</a>');
    const id = await startReview();
    const overview = await send(app, `/reviews/${id}`, { session: lead });
    expect(overview.status).toBe(200);
    const text = await overview.text();
    expect(text).toContain(`Home exercise and falls ${tag}`);
    expect(text).toContain(`Falls after discharge ${tag}`);
    // Nothing is included yet, and the way to a briefing says what that means rather than "its 0 included records".
    expect(text).toContain('Write a briefing from this review</a>; no record is included at full text yet, so it would start with no evidence to cite.');
    // Without the CSRF token nothing is created; a requester cannot start one or see this one.
    expect((await send(app, '/reviews', { session: lead, form: protocol(), csrf: null })).status).toBe(403);
    expect((await send(app, '/reviews', { session: requester, form: protocol() })).status).toBe(403);
    expect((await send(app, `/reviews/${id}`, { session: requester })).status).toBe(404);
    expect((await send(app, `/reviews/${id}/screen/title_abstract`, { session: requester })).status).toBe(404);
  });

  it('imports a RIS file into the review and screens it: highlighted keywords, a reason for every exclusion, then nothing left', async () => {
    const id = await startReview();
    const upload = new FormData();
    upload.append('file', new File([ris(tag)], 'medline.ris'));
    upload.append('source', 'MEDLINE via Ovid');
    upload.append('query', 'exercise AND falls');
    const imported = await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload });
    expect(imported.status).toBe(200);
    const summary = await imported.text();
    expect(summary).toContain('Import complete');
    expect(summary).toMatch(/id="summary-imported">7</);
    expect(summary).toContain(`href="/reviews/${id}/records"`);
    const records = await (await send(app, `/reviews/${id}/records`, { session: lead })).text();
    expect(records).toContain('7 records in this review');
    const overview = await (await send(app, `/reviews/${id}`, { session: lead })).text();
    expect(overview).toContain('MEDLINE via Ovid');
    expect(overview).toContain('exercise AND falls');
    // Before any decision there is no curve to draw and no stopping guidance to give.
    expect(overview).not.toContain('id="when-to-stop"');

    const page = await (await send(app, `/reviews/${id}/screen/title_abstract`, { session: lead })).text();
    expect(page).toContain('<mark class="app-mark app-mark--include"');
    expect(page).toMatch(/Ordered by similarity to the protocol/);
    const recordId = /name="recordId" value="([0-9a-f-]{36})"/.exec(page)?.[1] ?? '';
    const noReason = await send(app, `/reviews/${id}/screen/title_abstract`, { session: lead, form: { recordId, decision: 'exclude' } });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Choose a reason for excluding');
    // A note over the limit comes back as typed, with the message beside it and the notes open.
    const longNote = `Too long ${'n'.repeat(4000)}`;
    const refusedNote = await send(app, `/reviews/${id}/records/${recordId}/notes?stage=title_abstract`, { session: lead, form: { body: longNote } });
    expect(refusedNote.status).toBe(422);
    const notePage = await refusedNote.text();
    expect(notePage).toContain('<a href="#note">A note must be 4000 characters or fewer</a>');
    expect(notePage).toContain('<details class="nhsuk-details" open="">');
    expect(notePage).toContain(`aria-describedby="note-error">${longNote}</textarea>`);
    expect((await send(app, `/reviews/${id}/records/${recordId}/notes?stage=title_abstract`, { session: lead, form: { body: 'Check the dose' } })).status).toBe(303);
    for (let screened = 0; screened < 7; screened += 1) {
      // eslint-disable-next-line no-await-in-loop -- one record at a time, as a screener works
      const current = await (await send(app, `/reviews/${id}/screen/title_abstract`, { session: lead })).text();
      const next = /name="recordId" value="([0-9a-f-]{36})"/.exec(current)?.[1] ?? '';
      // Once something is screened, the guidance beside the record links to the curve on the overview.
      expect(current.includes(`href="/reviews/${id}#when-to-stop" id="stopping-curve-link"`)).toBe(screened > 0);
      const isTeeth = /Fluoride varnish/.test(/<h2[^>]*id="record-title"[^>]*>([\s\S]*?)<\/h2>/.exec(current)?.[1] ?? '');
      // eslint-disable-next-line no-await-in-loop -- as above
      const decided = await send(app, `/reviews/${id}/screen/title_abstract`, {
        session: lead,
        form: isTeeth ? { recordId: next, decision: 'exclude', reason: 'Wrong population' } : { recordId: next, decision: 'include' },
      });
      expect(decided.status).toBe(303);
    }
    const done = await (await send(app, `/reviews/${id}/screen/title_abstract`, { session: lead })).text();
    expect(done).toContain('Nothing left for you to screen');
    const after = await (await send(app, `/reviews/${id}`, { session: lead })).text();
    expect(after).toMatch(/id="counts-title_abstract"[\s\S]*?Included<\/th>\s*<td[^>]*>6</);
    // Beside the progress: the stopping guidance and the gain curve, drawn and in words and numbers.
    const whenToStop = /<section aria-labelledby="when-to-stop-heading" id="when-to-stop">([\s\S]*?)<\/section>/.exec(after)?.[1] ?? '';
    expect(whenToStop).toContain('1 record screened since the last inclusion (6 included of 7 screened)');
    expect(whenToStop).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-screening-curve-title chart-screening-curve-desc"/);
    expect(whenToStop).toContain('7 records of 7 screened at title and abstract, 6 inclusions found, the last at record 6 (1 record since). All of them came before the model ordered the records');
    const curveRows = [...(/<table class="nhsuk-table" id="screening-curve-table">([\s\S]*?)<\/table>/.exec(whenToStop)?.[1] ?? '').matchAll(/<tr>\s*<td[^>]*>(\d+)<\/td>\s*<td[^>]*>(\d+)<\/td>/g)];
    expect(curveRows.map((row) => Number(row[1]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Number(curveRows.at(-1)?.[2])).toBe(6);
  });

  it('says why a review import imported nothing, line by line, and imports the good records when asked to skip the rest', async () => {
    const id = await startReview();
    const withUntitled = `${ris(`${tag}u`)}\nTY  - JOUR\nAU  - Nobody, N\nPY  - 2020\nER  - \n`;
    const upload = (skip: boolean) => {
      const form = new FormData();
      form.append('file', new File([withUntitled], 'untitled.ris'));
      if (skip) {
        form.append('skipInvalid', 'true');
      }
      return form;
    };
    const refused = await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload(false) });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain('Nothing was imported');
    expect(page).toMatch(/<td class="nhsuk-table__cell">50<\/td>\s*<td class="nhsuk-table__cell">record has no title<\/td>/);
    expect(await (await send(app, `/reviews/${id}/records`, { session: lead })).text()).toContain('0 records in this review');
    const skipped = await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload(true) });
    expect(skipped.status).toBe(200);
    const summary = await skipped.text();
    expect(summary).toContain('Import complete');
    expect(summary).toContain('Records skipped');
    expect(await (await send(app, `/reviews/${id}/records`, { session: lead })).text()).toContain('7 records in this review');
  });

  it('counts records skipped at a review import among those identified from its source, and as removed for other reasons in the PRISMA counts', async () => {
    const id = await startReview();
    const upload = (text: string, fileName: string, source: string) => {
      const form = new FormData();
      form.append('file', new File([text], fileName));
      form.append('source', source);
      form.append('skipInvalid', 'true');
      return form;
    };
    // MEDLINE: seven good records and one without a title, skipped. Embase: one of MEDLINE's again and one new.
    const medline = `${ris(`${tag}p`)}\nTY  - JOUR\nAU  - Nobody, N\nPY  - 2020\nER  - \n`;
    const embase = [
      ['TY  - JOUR', `TI  - Home exercise ${tag}p programme 0 to prevent falls in older people`, 'AU  - Okafor, A0', `DO  - 10.1000/${tag}p.0`, 'PY  - 2021', 'ER  - '],
      ['TY  - JOUR', `TI  - Tai chi ${tag}p for falls in older people`, 'AU  - Chen, L', `DO  - 10.1000/${tag}p.taichi`, 'PY  - 2022', 'ER  - '],
    ]
      .flat()
      .join('\n');
    expect((await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload(medline, 'medline.ris', 'MEDLINE via Ovid') })).status).toBe(200);
    expect((await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload(embase, 'embase.ris', 'Embase') })).status).toBe(200);

    const counts = prismaCounts(await services.reviews.overview(leadActor, id));
    // What the PRISMA page reads for its counts gives the same as the whole overview.
    expect((await services.reviews.getPrisma(leadActor, id)).counts).toEqual(counts);
    expect(counts.identified).toEqual({
      total: 10,
      bySource: [
        { source: 'MEDLINE via Ovid', count: 8 },
        { source: 'Embase', count: 2 },
      ],
    });
    expect(counts).toMatchObject({ duplicatesRemoved: 1, removedForOtherReasons: 1, screened: 8 });

    // The overview's list of searches, the PRISMA page's table and the diagram say the same.
    const overview = await (await send(app, `/reviews/${id}`, { session: lead })).text();
    expect(overview).toMatch(/medline\.ris[\s\S]*?<td class="nhsuk-table__cell--numeric">7<\/td>\s*<td class="nhsuk-table__cell--numeric">7<\/td>\s*<td class="nhsuk-table__cell--numeric">0<\/td>\s*<td class="nhsuk-table__cell--numeric">1<\/td>/);
    // The PRISMA page and its downloads read what the counts need, not the whole overview (the records
    // added from the library, say): the review's decisions once, and no additions.
    for (const path of ['prisma', 'prisma.svg', 'prisma.png']) {
      const { response, texts, decisionReads } = await queriesAbout(id, () => send(app, `/reviews/${id}/${path}`, { session: lead }));
      expect(response.status).toBe(200);
      expect(decisionReads).toBe(1);
      expect(texts.filter((text) => /\breview_additions\b/.test(text))).toEqual([]);
    }
    const page = await (await send(app, `/reviews/${id}/prisma`, { session: lead })).text();
    const table = /<table class="nhsuk-table" id="prisma-counts">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
    const rows = [...table.matchAll(/<th scope="row"[^>]*>([^<]*)<\/th>\s*<td[^>]*>(\d+)<\/td>/g)].map((match) => [match[1], Number(match[2])]);
    expect(rows.slice(0, 6)).toEqual([
      ['Records identified', 10],
      ['MEDLINE via Ovid', 8],
      ['Embase', 2],
      ['Duplicate records removed before screening', 1],
      ['Records removed for other reasons', 1],
      ['Records screened', 8],
    ]);
    const svg = await (await send(app, `/reviews/${id}/prisma.svg`, { session: lead })).text();
    expect(svg).toContain('>Records removed for other reasons (n = 1)</text>');
    expect(svg).toContain('>MEDLINE via Ovid (n = 8)</text>');
    expect(svg).toContain('Records removed for other reasons: 1.');

    // Its wording is the team's to change, like every box's.
    expect((await send(app, `/reviews/${id}/prisma/labels`, { session: lead, form: { removedOther: 'Records without a title' } })).status).toBe(303);
    const reworded = await (await send(app, `/reviews/${id}/prisma.svg`, { session: lead })).text();
    expect(reworded).toContain('>Records without a title (n = 1)</text>');
  });

  it('lists every record of a large review, a page at a time, with where each stands', async () => {
    const id = await startReview();
    const many = Array.from({ length: 205 }, (_, index) =>
      ['TY  - JOUR', `TI  - Pager ${tag} study number ${index} of community falls clinics`, `AU  - Author${index}, A`, `DO  - 10.1000/${tag}.pager.${index}`, 'PY  - 2020', 'ER  - '].join('\n'),
    ).join('\n');
    const upload = new FormData();
    upload.append('file', new File([many], 'many.ris'));
    expect((await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload })).status).toBe(200);
    const rowsOf = (html: string) => [...html.matchAll(/<tr><td><a href="\/evidence\/records\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((match) => match[1]);
    const first = await (await send(app, `/reviews/${id}/records`, { session: lead })).text();
    expect(first).toContain('205 records in this review');
    expect(first).toContain('Records 1 to 200 of 205.');
    expect(rowsOf(first)).toHaveLength(200);
    expect(first).toContain(`href="/reviews/${id}/records?page=2"`);
    const second = await (await send(app, `/reviews/${id}/records?page=2`, { session: lead })).text();
    expect(second).toContain('Records 201 to 205 of 205.');
    const titles = [...rowsOf(first), ...rowsOf(second)];
    expect(new Set(titles).size).toBe(205);
    expect(second).toContain(`href="/reviews/${id}/records?page=1"`);
  });

  it('tells the second of two people merging the same pair that it was already decided, with the list as it now is', async () => {
    const id = await startReview();
    const pair = [
      ['TY  - JOUR', `TI  - Strength training ${tag} for frail older adults in the community`, 'AU  - Okafor, A', 'PY  - 2020', 'ER  - '],
      ['TY  - JOUR', `TI  - Strength training ${tag} for frail older adults in the community.`, 'PY  - 2020', 'ER  - '],
    ]
      .flat()
      .join('\n');
    const upload = new FormData();
    upload.append('file', new File([pair], 'pair.ris'));
    await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload });
    const list = await (await send(app, `/reviews/${id}/duplicates`, { session: lead })).text();
    const candidateId = new RegExp(`action="/reviews/${id}/duplicates/([0-9a-f-]{36})/merge"`).exec(list)?.[1] ?? '';
    expect(candidateId).not.toBe('');
    expect((await send(app, `/reviews/${id}/duplicates/${candidateId}/merge`, { session: lead, form: {} })).status).toBe(303);
    const stale = await send(app, `/reviews/${id}/duplicates/${candidateId}/merge`, { session: lead, form: {} });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('Someone had already merged or kept apart that pair.');
    expect(html).toContain('id="no-candidates"');
  });

  it('offers the same workbench as JSON: start, next record, decide, and the decision log', async () => {
    const created = await send(app, '/api/reviews', {
      session: lead,
      json: { title: `API review ${tag}`, question: 'Does home exercise prevent falls in older people?', exclusionReasons: ['Wrong population'], model: 'logistic' },
    });
    expect(created.status).toBe(201);
    const review = (await created.json()) as { id: ReviewId; reference: string; exclusionReasons: string[]; model: string };
    expect(review).toMatchObject({ exclusionReasons: ['Wrong population'], model: 'logistic' });
    const upload = new FormData();
    upload.append('file', new File([ris(`${tag}api`)], 'embase.ris'));
    expect((await send(app, `/reviews/${review.id}/import`, { session: lead, multipart: upload })).status).toBe(200);
    const next = (await (await send(app, `/api/reviews/${review.id}/next?stage=title_abstract`, { session: lead })).json()) as { record: { id: string }; order: { by: string }; remaining: number };
    expect(next).toMatchObject({ order: { by: 'protocol' }, remaining: 7 });
    const bad = await send(app, `/api/reviews/${review.id}/decisions`, { session: lead, json: { recordId: next.record.id, stage: 'title_abstract', decision: 'exclude' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { details: { fields: Record<string, string> } } }).error.details.fields).toHaveProperty('reason');
    const decided = await send(app, `/api/reviews/${review.id}/decisions`, { session: lead, json: { recordId: next.record.id, stage: 'title_abstract', decision: 'include', modelVersion: 'protocol', rankPosition: 1 } });
    expect(decided.status, await decided.clone().text()).toBe(201);
    const log = (await (await send(app, `/api/reviews/${review.id}/decisions`, { session: lead })).json()) as { decisions: { recordId: string; decision: string; modelVersion: string }[] };
    expect(log.decisions).toEqual([expect.objectContaining({ recordId: next.record.id, decision: 'include', modelVersion: 'protocol' })]);
    const detail = (await (await send(app, `/api/reviews/${review.id}`, { session: lead })).json()) as { stages: { title_abstract: { included: number; toScreen: number } } };
    expect(detail.stages.title_abstract).toMatchObject({ included: 1, toScreen: 6 });
    expect((await send(app, `/api/reviews/${review.id}`, { session: requester })).status).toBe(404);
  });

  it('re-renders a conflict with the reason in error when an arbiter excludes without one, and resolves nothing', async () => {
    const { id, screener, arbiter } = await dualReview(`${tag}c`);
    const [recordId = ''] = (await services.reviews.overview(leadActor, id)).progress.map((entry) => entry.recordId);
    await services.reviews.decide(leadActor, id, { recordId, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(screener.actor, id, { recordId, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    const arbiterSession = await signInAs(app, arbiter.email, TEST_PASSWORD);

    const noReason = await send(app, `/reviews/${id}/conflicts`, { session: arbiterSession, form: { recordId, stage: 'title_abstract', decision: 'exclude', reason: '' } });
    expect(noReason.status).toBe(422);
    const html = await noReason.text();
    expect(html).toMatch(/<title>Error: Conflicts – /);
    // The summary links to the reason of this record's form, which carries the message itself.
    expect(html).toContain(`<a href="#reason-${recordId}">Choose a reason for excluding</a>`);
    const card = new RegExp(`<div class="nhsuk-card app-conflict" data-record-id="${recordId}">([\\s\\S]*?)</form>`).exec(html)?.[1] ?? '';
    expect(card).toContain('<div class="nhsuk-form-group nhsuk-form-group--error">');
    expect(card).toMatch(new RegExp(`<span class="nhsuk-error-message" id="reason-${recordId}-error"><span class="nhsuk-u-visually-hidden">Error: </span>Choose a reason for excluding</span>`));
    expect(card).toMatch(new RegExp(`<select class="nhsuk-select nhsuk-select--error" id="reason-${recordId}" name="reason" aria-describedby="reason-${recordId}-error">`));
    // The same form again, for the same record and stage, still offering the review's reasons.
    expect(card).toContain(`<input type="hidden" name="recordId" value="${recordId}"/>`);
    expect(card).toContain('<input type="hidden" name="stage" value="title_abstract"/>');
    expect(card).toContain('<option value="Wrong population">Wrong population</option>');

    // Nothing was written: the record is still in conflict, with no resolution in the log.
    expect((await services.reviews.decisionLog(leadActor, id)).resolutions).toEqual([]);
    expect((await services.reviews.getConflicts(arbiter.actor, id)).conflicts.title_abstract.map((conflict) => conflict.record.id)).toEqual([recordId]);

    // With a reason, the same form resolves the conflict.
    const resolved = await send(app, `/reviews/${id}/conflicts`, { session: arbiterSession, form: { recordId, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' } });
    expect(resolved.status).toBe(303);
    expect((await services.reviews.decisionLog(leadActor, id)).resolutions).toEqual([expect.objectContaining({ recordId, decision: 'exclude', reason: 'Wrong population' })]);

    // At full text, an arbiter can settle a conflict as "not retrieved" (and only there).
    const [, second = ''] = (await services.reviews.overview(leadActor, id)).progress.map((entry) => entry.recordId);
    await services.reviews.decide(leadActor, id, { recordId: second, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(screener.actor, id, { recordId: second, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(leadActor, id, { recordId: second, stage: 'full_text', decision: 'include' });
    await services.reviews.decide(screener.actor, id, { recordId: second, stage: 'full_text', decision: 'not_retrieved' });
    const page = await (await send(app, `/reviews/${id}/conflicts`, { session: arbiterSession })).text();
    const fullTextCard = new RegExp(`<div class="nhsuk-card app-conflict" data-record-id="${second}">([\\s\\S]*?)</form>`).exec(page)?.[1] ?? '';
    expect(fullTextCard).toContain('<input type="hidden" name="stage" value="full_text"/>');
    expect(fullTextCard).toMatch(/<button[^>]*name="decision" value="not_retrieved"[^>]*>\s*Full text not retrieved/);
    expect(
      (await send(app, `/reviews/${id}/conflicts`, { session: arbiterSession, form: { recordId: second, stage: 'full_text', decision: 'not_retrieved' } })).status,
    ).toBe(303);
    expect((await services.reviews.overview(leadActor, id)).stages.full_text).toMatchObject({ notRetrieved: 1, conflicts: 0 });
    // The screener's own page after someone else's decision settled the record: a notice and the next record.
    const screenerSession = await signInAs(app, screener.email, TEST_PASSWORD);
    const [, , third = ''] = (await services.reviews.overview(leadActor, id)).progress.map((entry) => entry.recordId);
    await services.reviews.decide(leadActor, id, { recordId: third, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(arbiter.actor, id, { recordId: third, stage: 'title_abstract', decision: 'include' });
    const late = await send(app, `/reviews/${id}/screen/title_abstract`, { session: screenerSession, form: { recordId: third, decision: 'exclude', reason: 'Wrong population' } });
    expect(late.status).toBe(409);
    const latePage = await late.text();
    expect(latePage).toContain('Your decision was not saved: this record already has the decisions it needs at this stage');
    expect(latePage).toMatch(/name="recordId" value="[0-9a-f-]{36}"/);
    expect(latePage).not.toContain(`name="recordId" value="${third}"`);
  });

  it('lists the conflicts at both stages, each with its screeners’ decisions, reading the review’s decisions once', async () => {
    const { id, screener, arbiter } = await dualReview(`${tag}cc`);
    const [atTitle = '', atFullText = '', agreed = ''] = (await services.reviews.overview(leadActor, id)).progress.map((entry) => entry.recordId);
    // One conflict at title and abstract, one at full text, and a record both screeners excluded.
    await services.reviews.decide(leadActor, id, { recordId: atTitle, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(screener.actor, id, { recordId: atTitle, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    for (const actor of [leadActor, screener.actor]) {
      await services.reviews.decide(actor, id, { recordId: atFullText, stage: 'title_abstract', decision: 'include' });
      await services.reviews.decide(actor, id, { recordId: agreed, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    }
    await services.reviews.decide(leadActor, id, { recordId: atFullText, stage: 'full_text', decision: 'include' });
    await services.reviews.decide(screener.actor, id, { recordId: atFullText, stage: 'full_text', decision: 'exclude', reason: 'Wrong intervention' });
    const arbiterSession = await signInAs(app, arbiter.email, TEST_PASSWORD);

    const { response, decisionReads } = await queriesAbout(id, () => send(app, `/reviews/${id}/conflicts`, { session: arbiterSession }));
    expect(response.status).toBe(200);
    const html = await response.text();
    const section = (stage: string) => new RegExp(`<section aria-labelledby="conflicts-${stage}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
    const cardIds = (text: string) => [...text.matchAll(/data-record-id="([0-9a-f-]{36})"/g)].map((match) => match[1]);
    expect(section('title_abstract')).toContain('<h2 id="conflicts-title_abstract">Title and abstract (1)</h2>');
    expect(cardIds(section('title_abstract'))).toEqual([atTitle]);
    expect(section('title_abstract')).toMatch(/<li>[^<]+: Include<\/li>\s*<li>[^<]+: Exclude \(Wrong population\)<\/li>/);
    expect(section('title_abstract')).toContain('<input type="hidden" name="stage" value="title_abstract"/>');
    expect(section('full_text')).toContain('<h2 id="conflicts-full_text">Full text (1)</h2>');
    expect(cardIds(section('full_text'))).toEqual([atFullText]);
    expect(section('full_text')).toMatch(/<li>[^<]+: Include<\/li>\s*<li>[^<]+: Exclude \(Wrong intervention\)<\/li>/);
    expect(section('full_text')).toContain('<input type="hidden" name="stage" value="full_text"/>');
    expect(html).not.toContain(`data-record-id="${agreed}"`);
    // Both stages come from one reading of the review's progress, not one per stage.
    expect(decisionReads).toBe(1);

    // The lead screened both records: they see the conflicts, and that someone else resolves them.
    const leadPage = await (await send(app, `/reviews/${id}/conflicts`, { session: lead })).text();
    expect(cardIds(leadPage)).toEqual([atTitle, atFullText]);
    expect(leadPage).not.toContain(`action="/reviews/${id}/conflicts"`);
    expect(leadPage.match(/You screened this record, so another member resolves it\./g)).toHaveLength(2);
  });

  it('lets the review lead change the protocol and settings, and no one else', async () => {
    const id = await startReview();
    const changed = await send(app, `/reviews/${id}/protocol`, {
      session: lead,
      form: protocol({ question: 'Does group exercise prevent falls in care homes?', framework: 'peo', 'peo.exposure': 'Group exercise', model: 'logistic', randomShare: '10' }),
    });
    expect(changed.status).toBe(303);
    const review = await services.reviews.getReview(leadActor, id);
    expect(review).toMatchObject({ question: 'Does group exercise prevent falls in care homes?', framework: 'peo', frameworkFields: { exposure: 'Group exercise' }, model: 'logistic', randomShare: 0.1 });
    expect((await send(app, `/reviews/${id}/protocol`, { session: requester, form: protocol() })).status).toBe(404);
    // Once screening has started, the page says what changing single or dual screening does.
    expect(await (await send(app, `/reviews/${id}/protocol`, { session: lead })).text()).not.toContain('Screening has started');
    const upload = new FormData();
    upload.append('file', new File([ris(`${tag}p`)], 'medline.ris'));
    await send(app, `/reviews/${id}/import`, { session: lead, multipart: upload });
    const [first = ''] = (await services.reviews.overview(leadActor, id)).progress.map((entry) => entry.recordId);
    await services.reviews.decide(leadActor, id, { recordId: first, stage: 'title_abstract', decision: 'include' });
    expect(await (await send(app, `/reviews/${id}/protocol`, { session: lead })).text()).toContain('Screening has started (1 decision). Switching to single screening');
  });
});
