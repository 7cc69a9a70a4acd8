import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, buildWorkspace, needInput, reviewInput, testHasher } from '../../test/support/builders.js';
import { buildApp, send, signInAs, type App, type Session } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { Need } from '../core/needs/types.js';
import type { BriefingId } from '../core/briefings/types.js';
import type { RecordId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';

async function* events(...items: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of items.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } };
  }
}

const idFrom = (response: Response): string => /\/briefings\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1] ?? '';

describe.each(testDatabases)('briefings on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let author: Session;
  let reviewer: Session;
  let requester: Session;
  let contributor: Session;
  let need: Need;
  let workspace: Awaited<ReturnType<typeof buildWorkspace>>;
  const tag = `zq${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    workspace = await buildWorkspace(services);
    const second = await buildActor(services, 'fellow');
    const publicContributor = await buildActor(services, 'contributor');
    need = await services.needs.submitNeed(workspace.requester.actor, needInput({ title: `Befriending ${tag}`, decisionMaker: 'Adult social care board' }));
    await services.triage.triageNeed(workspace.fellow.actor, need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [workspace.fellow.actor.userId] });
    await services.evidenceImport.importRecords(undefined, {
      fileName: 'briefing.ris',
      format: 'ris',
      events: events(
        { title: `Telephone befriending ${tag} for older people: a randomised trial`, authors: ['Okafor, Adaeze', 'Brennan, Liam'], year: 2021, journal: 'Age and Ageing', volume: '50', pages: '101-109', doi: `10.1000/${tag}.1` },
        { title: `Social prescribing ${tag}: a systematic review`, authors: ['Haddad, Rana'], year: 2023, journal: 'BMJ Open', doi: `10.1000/${tag}.2` },
      ),
      fileSha256: () => 'x',
    });
    const records = await services.evidence.listRecords(workspace.fellow.actor, { text: tag, limit: 5, offset: 0 });
    for (const record of [...records.records].sort((a, b) => a.title.localeCompare(b.title)).reverse()) {
      // eslint-disable-next-line no-await-in-loop -- pins in order
      await services.matching.pinEvidence(workspace.fellow.actor, need.id, record.id);
    }
    [author, reviewer, requester, contributor] = await Promise.all([
      signInAs(app, workspace.fellow.email, TEST_PASSWORD),
      signInAs(app, second.email, TEST_PASSWORD),
      signInAs(app, workspace.requester.email, TEST_PASSWORD),
      signInAs(app, publicContributor.email, TEST_PASSWORD),
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('builds a briefing from a need’s pinned evidence, in versions, through review, approval and delivery', async () => {
    const form = await (await send(app, `/briefings/new?needId=${need.id}`, { session: author })).text();
    expect(form).toContain('pinned evidence (2)');
    const created = await send(app, '/briefings', { session: author, form: { template: 'decision', title: `Befriending briefing ${tag}`, citationStyle: 'vancouver', needId: need.id } });
    expect(created.status).toBe(303);
    const id = idFrom(created);
    const edit = await (await send(app, `/briefings/${id}/edit`, { session: author })).text();
    // The need's question starts the briefing; the evidence list is the pinned records, numbered for citing.
    expect(edit).toContain(need.question);
    expect(edit).toMatch(/<ol class="app-evidence-list"[\s\S]*Telephone befriending/);

    const save = (session: Session, baseVersion: number, bottomLine: string) =>
      send(app, `/briefings/${id}/edit`, {
        session,
        form: {
          baseVersion: String(baseVersion),
          'section.bottom_line': bottomLine,
          'section.key_messages': '- Social prescribing helps some people [@2].\n- Calls reduce loneliness [@1, @2].',
          note: 'First draft',
        },
      });
    expect((await save(author, 1, 'Telephone befriending reduces loneliness [@1].')).status).toBe(303);
    // A save based on an older version is refused, not written over the newer one.
    const stale = await save(reviewer, 1, 'Something else.');
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Someone saved version 2');
    // A citation past the end of the evidence list would vanish from every export: refused beside its section, nothing saved.
    const uncited = await save(author, 2, 'Befriending works [@99].');
    expect(uncited.status).toBe(422);
    const uncitedHtml = await uncited.text();
    expect(uncitedHtml).toMatch(/Cites \[@99\], but the evidence list has \d+ records/);
    expect(uncitedHtml).toContain('Befriending works [@99].');
    expect((await services.briefings.get(workspace.fellow.actor, id as BriefingId)).briefing.currentVersion).toBe(2);
    const page = await (await send(app, `/briefings/${id}`, { session: author })).text();
    // Vancouver numbers follow first citation: record 1 of the list is cited first, so it is reference 1.
    expect(page).toMatch(/<li id="ref-1">[^<]*Okafor/);
    expect(page).toMatch(/<li id="ref-2">[^<]*Haddad/);
    expect(page).toContain('Plain English: readability');
    // The hardest sentences for decision makers are marked in the text, and jargon gets a plainer word.
    expect(page).toMatch(/<mark class="app-mark app-mark--exclude">[\s\S]*?Calls reduce loneliness/);
    expect(page).toContain('“Social prescribing” (try “');

    const compare = await (await send(app, `/briefings/${id}/compare?from=1&to=2`, { session: author })).text();
    expect(compare).toMatch(/<ins>[\s\S]*Telephone befriending reduces loneliness/);

    const move = (session: Session, status: string) => send(app, `/briefings/${id}/status`, { session, form: { status } });
    expect((await move(author, 'approved')).status).toBe(409);
    expect((await move(author, 'in_review')).status).toBe(303);
    // A public contributor comments while it is in review.
    expect((await send(app, `/briefings/${id}/comments`, { session: contributor, form: { body: 'Please say what befriending is.', sectionKey: 'bottom_line' } })).status).toBe(303);
    expect(await (await send(app, `/briefings/${id}`, { session: author })).text()).toContain('Please say what befriending is.');
    // The author of the text cannot approve it, so is not offered the button but told why; a second fellow is offered it.
    const approveButton = /<input type="hidden" name="status" value="approved"\/?>\s*<button[^>]*>\s*Approve\s*<\/button>/;
    const authorsPage = await (await send(app, `/briefings/${id}`, { session: author })).text();
    expect(authorsPage).not.toMatch(approveButton);
    expect(authorsPage).not.toContain('value="approved"');
    expect(authorsPage).toMatch(/<div class="nhsuk-inset-text" id="approval-refusal">[\s\S]*?Another fellow must approve this briefing: you wrote its current version/);
    // Back to draft is still there.
    expect(authorsPage).toContain('value="draft"');
    const reviewersPage = await (await send(app, `/briefings/${id}`, { session: reviewer })).text();
    expect(reviewersPage).toMatch(approveButton);
    expect(reviewersPage).not.toContain('id="approval-refusal"');
    expect((await move(author, 'approved')).status).toBe(403);
    expect((await move(reviewer, 'approved')).status).toBe(303);
    // The requester sees nothing until delivery.
    expect((await send(app, `/briefings/${id}`, { session: requester })).status).toBe(404);
    expect((await move(reviewer, 'delivered')).status).toBe(303);

    expect((await services.needs.getNeed(workspace.requester.actor, need.id)).status).toBe('delivered');
    const thread = await (await send(app, `/needs/${need.id}`, { session: requester })).text();
    expect(thread).toContain(`Befriending briefing ${tag}`);
    expect((await send(app, `/briefings/${id}`, { session: requester })).status).toBe(200);
    // Only the delivered text: earlier versions are working drafts for staff, and their list is not shown.
    expect((await send(app, `/briefings/${id}?version=1`, { session: requester })).status).toBe(404);
    expect(await (await send(app, `/briefings/${id}`, { session: requester })).text()).not.toContain('id="versions-heading"');
    expect((await send(app, `/briefings/${id}?version=1`, { session: author })).status).toBe(200);
    const followups = await db.query<{ months: number }>('select months from followups where need_id = $1 order by months', [need.id]);
    expect(followups.map((row) => row.months)).toEqual([1, 3, 6, 12]);
    // Delivered means fixed.
    expect((await save(author, 2, 'Changed after delivery.')).status).toBe(409);
  });

  it('starts a briefing from a review with its included records, reading only what it says of the review, from a link on the review’s overview and exports page for those who write briefings', async () => {
    const actor = workspace.fellow.actor;
    const review = await services.reviews.createReview(actor, reviewInput({ title: `Befriending review ${tag}`, question: 'Does telephone befriending reduce loneliness in older people?', needId: need.id }));
    const reviewTag = `${tag}r`;
    await services.reviews.importRecords(actor, review.id, 'MEDLINE', (libraryId) =>
      services.evidenceImport.importRecords(actor, {
        fileName: 'review.ris',
        format: 'ris',
        events: events(...[0, 1, 2, 3].map((index) => ({ title: `Befriending ${reviewTag} study ${index}`, authors: [`Okafor, A${index}`], year: 2020, doi: `10.1000/${reviewTag}.${index}` }))),
        fileSha256: () => 'x',
        searchQuery: 'befriending',
        libraryId,
      }),
    );
    const { records } = await services.evidence.listRecords(actor, { libraryId: review.libraryId, limit: 10, offset: 0 });
    const byIndex = (index: number) => records.find((record) => record.title.endsWith(`study ${index}`))?.id as RecordId;
    // Two included at full text, one excluded there, one excluded at title and abstract.
    for (const [index, titleAbstract, fullText] of [
      [0, 'include', 'include'],
      [1, 'include', 'include'],
      [2, 'include', 'exclude'],
      [3, 'exclude', undefined],
    ] as const) {
      // eslint-disable-next-line no-await-in-loop -- one decision at a time
      await services.reviews.decide(actor, review.id, { recordId: byIndex(index), stage: 'title_abstract', decision: titleAbstract, reason: titleAbstract === 'exclude' ? 'Wrong population' : undefined, modelVersion: 'protocol', rankPosition: 1 });
      if (fullText) {
        // eslint-disable-next-line no-await-in-loop -- as above
        await services.reviews.decide(actor, review.id, { recordId: byIndex(index), stage: 'full_text', decision: fullText, reason: fullText === 'exclude' ? 'Wrong population' : undefined });
      }
    }
    expect((await services.reviews.overview(actor, review.id)).stages.full_text.included).toBe(2);
    // A retrain after a decision reads the decisions too, in the background: let it finish first.
    await services.ranker.idle(review.id);

    const query = vi.spyOn(db, 'query');
    let response: Response;
    let texts: string[];
    try {
      response = await send(app, `/briefings/new?reviewId=${review.id}`, { session: author });
      texts = query.mock.calls.filter(([, params]) => params?.includes(review.id) || params?.includes(review.libraryId)).map(([text]) => text);
    } finally {
      query.mockRestore();
    }
    expect(response.status).toBe(200);
    const html = await response.text();
    // The review's title and included records, the title offered for the briefing and the review's need kept with it.
    expect(html).toMatch(new RegExp(`From the review <a href="/reviews/${review.id}">Befriending review ${tag}</a>, with its\\s*included records \\(2\\) as the evidence to cite\\.`));
    expect(html).toMatch(new RegExp(`<input[^>]*name="title"[^>]*value="Befriending review ${tag}"`));
    expect(html).toContain(`<input type="hidden" name="reviewId" value="${review.id}"`);
    expect(html).toContain(`<input type="hidden" name="needId" value="${need.id}"`);
    // What it says needs the review and its screening progress: the decisions once, and none of the
    // rest of the overview (import batches, records merged since, records added from the library).
    expect(texts.filter((text) => /\bfrom screening_decisions\b/.test(text))).toHaveLength(1);
    expect(texts.filter((text) => /\b(import_batches|review_additions)\b|merged_into_id is not null/.test(text))).toEqual([]);

    // The way there: the review's overview and its exports page link to that form, with the included count,
    // for those who write briefings; a researcher screening on the review is not offered it.
    const formLink = `<a href="/briefings/new?reviewId=${review.id}">Write a briefing from this review</a>, with its 2 included records as the`;
    for (const path of [`/reviews/${review.id}`, `/reviews/${review.id}/exports`]) {
      // eslint-disable-next-line no-await-in-loop -- one page at a time
      expect(await (await send(app, path, { session: author })).text()).toContain(formLink);
    }
    const researcher = await buildActor(services, 'researcher');
    await services.reviews.setTeam(actor, review.id, { members: [{ userId: actor.userId, role: 'lead' }, { userId: researcher.user.id, role: 'screener' }] });
    const researcherSession = await signInAs(app, researcher.email, TEST_PASSWORD);
    for (const path of [`/reviews/${review.id}`, `/reviews/${review.id}/exports`]) {
      // eslint-disable-next-line no-await-in-loop -- as above
      const page = await send(app, path, { session: researcherSession });
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain('/briefings/new');
    }
    expect((await send(app, `/briefings/new?reviewId=${review.id}`, { session: researcherSession })).status).toBe(403);
  });

  it('lists on a review’s overview the briefings started from it, with status and version, in one query, for those who may read briefings', async () => {
    const actor = workspace.fellow.actor;
    const review = await services.reviews.createReview(actor, reviewInput({ title: `Listed review ${tag}` }));
    const other = await services.reviews.createReview(actor, reviewInput({ title: `Other review ${tag}` }));
    const start = async (title: string, reviewId: string) => idFrom(await send(app, '/briefings', { session: author, form: { template: 'decision', title, citationStyle: 'vancouver', reviewId } }));
    const drafted = await start(`Drafted from review ${tag}`, review.id);
    const reviewed = await start(`Reviewed from review ${tag}`, review.id);
    await start(`From the other review ${tag}`, other.id);
    expect((await send(app, `/briefings/${reviewed}/edit`, { session: author, form: { baseVersion: '1', 'section.bottom_line': 'Calls help.' } })).status).toBe(303);
    expect((await send(app, `/briefings/${reviewed}/status`, { session: author, form: { status: 'in_review' } })).status).toBe(303);

    const query = vi.spyOn(db, 'query');
    let html: string;
    let briefingQueries: string[];
    try {
      html = await (await send(app, `/reviews/${review.id}`, { session: author })).text();
      briefingQueries = query.mock.calls.filter(([text, params]) => /\bfrom briefings\b/.test(text) && params?.includes(review.id)).map(([text]) => text);
    } finally {
      query.mockRestore();
    }
    const listed = /<ul class="nhsuk-list" id="review-briefings">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(listed).toMatch(new RegExp(`<a href="/briefings/${drafted}">BR-\\d+: Drafted from review ${tag}</a>\\s*\\(Draft, version 1\\)`));
    expect(listed).toMatch(new RegExp(`<a href="/briefings/${reviewed}">BR-\\d+: Reviewed from review ${tag}</a>\\s*\\(In review, version 2\\)`));
    expect(listed).not.toContain('From the other review');
    // One parameterised query for the list, not one per briefing.
    expect(briefingQueries).toHaveLength(1);
    expect(briefingQueries[0]).not.toContain(review.id);

    // A public contributor on the review's team reads only the briefing in review; a researcher on it, none.
    const researcher = await buildActor(services, 'researcher');
    const publicContributor = await buildActor(services, 'contributor');
    await services.reviews.setTeam(actor, review.id, {
      members: [
        { userId: actor.userId, role: 'lead' },
        { userId: researcher.user.id, role: 'screener' },
        { userId: publicContributor.user.id, role: 'screener' },
      ],
    });
    const contributorHtml = await (await send(app, `/reviews/${review.id}`, { session: await signInAs(app, publicContributor.email, TEST_PASSWORD) })).text();
    expect(contributorHtml).toContain(`Reviewed from review ${tag}`);
    expect(contributorHtml).not.toContain(`Drafted from review ${tag}`);
    const researcherPage = await send(app, `/reviews/${review.id}`, { session: await signInAs(app, researcher.email, TEST_PASSWORD) });
    expect(researcherPage.status).toBe(200);
    const researcherHtml = await researcherPage.text();
    expect(researcherHtml).not.toContain('id="review-briefings"');
    expect(researcherHtml).not.toContain(`from review ${tag}`);

    // A review with none says so to those who write briefings.
    const empty = await services.reviews.createReview(actor, reviewInput({ title: `Empty review ${tag}` }));
    expect(await (await send(app, `/reviews/${empty.id}`, { session: author })).text()).toMatch(/<p id="review-briefings">No briefing has been started from this review yet\.<\/p>/);
  });

  it('tells those who write briefings where one starts, linking to the needs and the reviews, and tells public contributors what they can do instead', async () => {
    const staffHtml = await (await send(app, '/briefings', { session: author })).text();
    expect(staffHtml).toMatch(/<p id="briefings-start">\s*Start a briefing from a <a href="\/needs">need<\/a> \(its pinned evidence\) or from a <a href="\/reviews">review<\/a> \(its included records\)\.\s*<\/p>/);
    // The links lead where a briefing starts: the needs and the reviews lists, both open to staff.
    for (const path of ['/needs', '/reviews']) {
      // eslint-disable-next-line no-await-in-loop -- one page at a time
      expect((await send(app, path, { session: author })).status).toBe(200);
    }

    // A public contributor cannot start one (the routes refuse), so is not told to.
    const listed = await send(app, '/briefings', { session: contributor });
    expect(listed.status).toBe(200);
    const contributorHtml = await listed.text();
    expect(contributorHtml).not.toContain('Start a briefing');
    expect(contributorHtml).not.toMatch(/<a href="\/(needs|reviews)">/);
    expect(contributorHtml).toContain('Briefings in review are listed here: read them and comment on them while they are in review.');
    expect((await send(app, `/briefings/new?needId=${need.id}`, { session: contributor })).status).toBe(403);
  });

  it('keeps the version the editor was opened from when a save is refused as invalid, so that a later save still finds someone else’s version in between', async () => {
    const created = await send(app, '/briefings', { session: author, form: { template: 'decision', title: `Two editors ${tag}`, citationStyle: 'vancouver', needId: need.id } });
    const id = idFrom(created);
    const editPath = `/briefings/${id}/edit`;
    const baseOf = (html: string) => /name="baseVersion" value="(\d+)"/.exec(html)?.[1] ?? '';
    const saveButtonOf = (html: string) => /<button[^>]*type="submit"[^>]*>\s*(Save[^<]*?)\s*<\/button>/.exec(html)?.[1] ?? '';

    // The author opens the editor at version 1; a second fellow then opens it too and saves version 2.
    const openedHtml = await (await send(app, editPath, { session: author })).text();
    const opened = baseOf(openedHtml);
    expect(opened).toBe('1');
    expect(saveButtonOf(openedHtml)).toBe('Save as version 2');
    expect(openedHtml).not.toContain('id="newer-version"');
    const theirs = await send(app, editPath, { session: reviewer, form: { baseVersion: baseOf(await (await send(app, editPath, { session: reviewer })).text()), 'section.bottom_line': 'Befriending helps [@1].' } });
    expect(theirs.status).toBe(303);

    // The author's save is refused as invalid (the note is too long): the editor comes back with what
    // was typed, and with the version it was opened from, not the second fellow's newer one.
    const invalid = await send(app, editPath, { session: author, form: { baseVersion: opened, 'section.bottom_line': 'Calls reduce loneliness [@1].', note: 'n'.repeat(301) } });
    expect(invalid.status).toBe(422);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain('Calls reduce loneliness [@1].');
    expect(baseOf(invalidHtml)).toBe('1');
    // That save will be refused as a conflict, so the button promises no version number (not "Save as
    // version 3", the number after the current version), and the page says why before the user saves.
    expect(saveButtonOf(invalidHtml)).toBe('Save your changes');
    expect(invalidHtml).not.toMatch(/Save as version \d/);
    expect(invalidHtml).toMatch(/<div class="nhsuk-inset-text" id="newer-version">[\s\S]*?Someone saved version 2 after you opened version 1\. Saving will not write over their text/);

    // Corrected and saved again from that page: a conflict, and the second fellow's version stays the current one.
    const corrected = await send(app, editPath, { session: author, form: { baseVersion: baseOf(invalidHtml), 'section.bottom_line': 'Calls reduce loneliness [@1].', note: 'Shorter' } });
    expect(corrected.status).toBe(409);
    const correctedHtml = await corrected.text();
    expect(correctedHtml).toContain('Someone saved version 2 while you were editing version 1');
    // After the conflict the editor starts from the current version, so saving again does make version 3.
    expect(baseOf(correctedHtml)).toBe('2');
    expect(saveButtonOf(correctedHtml)).toBe('Save as version 3');
    expect(correctedHtml).not.toContain('id="newer-version"');
    const detail = await services.briefings.get(workspace.fellow.actor, id as BriefingId);
    expect(detail.briefing.currentVersion).toBe(2);
    expect(detail.version.sections.find((section) => section.key === 'bottom_line')?.body).toBe('Befriending helps [@1].');

    // Refused without a version to start from, the editor offers the current one, as before.
    const withoutBase = await send(app, editPath, { session: author, form: { 'section.bottom_line': 'Calls reduce loneliness [@1].' } });
    expect(withoutBase.status).toBe(422);
    const withoutBaseHtml = await withoutBase.text();
    expect(baseOf(withoutBaseHtml)).toBe('2');
    expect(saveButtonOf(withoutBaseHtml)).toBe('Save as version 3');
  });

  it('after someone else saved first, shows their saved text and changes beside the user’s unsaved text, takes over sections only they changed, and saves the merge as the next version', async () => {
    const created = await send(app, '/briefings', { session: author, form: { template: 'decision', title: `Merge by hand ${tag}`, citationStyle: 'vancouver', needId: need.id } });
    const id = idFrom(created);
    const editPath = `/briefings/${id}/edit`;
    // What a browser posts from the editor: every section's textarea (line breaks as CRLF) and the version it was opened from.
    const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const formOf = (html: string): Record<string, string> => ({
      baseVersion: /name="baseVersion" value="(\d+)"/.exec(html)?.[1] ?? '',
      ...Object.fromEntries([...html.matchAll(/<textarea[^>]*name="(section\.[a-z_]+)"[^>]*>([\s\S]*?)<\/textarea>/g)].map(([, name, text]) => [name, unescape(text ?? '').replace(/\r?\n/g, '\r\n')])),
    });
    const groupOf = (html: string, key: string) => new RegExp(`<div class="nhsuk-form-group[^"]*" data-merge="[a-z]+">\\s*<label[^>]*for="section\\.${key}"[\\s\\S]*?(?=<div class="nhsuk-form-group|<div class="nhsuk-form-group nhsuk-form-group--error|<div class="nhsuk-form-group" data-merge|$)`).exec(html)?.[0] ?? '';

    // The author opens the editor at version 1; a second fellow saves version 2, changing two sections.
    const opened = formOf(await (await send(app, editPath, { session: author })).text());
    expect(opened.baseVersion).toBe('1');
    const theirs = { ...formOf(await (await send(app, editPath, { session: reviewer })).text()) };
    theirs['section.bottom_line'] = 'Befriending by telephone reduces loneliness a little [@1].';
    theirs['section.key_messages'] = '- Calls reduce loneliness [@1].\r\n- Social prescribing helps some people [@2].';
    expect((await send(app, editPath, { session: reviewer, form: { ...theirs, note: 'Tightened' } })).status).toBe(303);
    const theirName = (await services.briefings.get(workspace.fellow.actor, id as BriefingId)).version.createdBy.name;

    // The author, unaware, changes the bottom line too, and the evidence section, and saves from version 1.
    const mine = { ...opened, 'section.bottom_line': 'Telephone befriending helps older people feel less lonely [@1].', 'section.evidence': 'One trial [@1] and one review [@2].' };
    const refused = await send(app, editPath, { session: author, form: mine });
    expect(refused.status).toBe(409);
    const html = await refused.text();

    // Above the editor: who saved which version, the core's hint, and what the editor now holds.
    expect(html).toMatch(new RegExp(`<div class="nhsuk-warning-callout" id="edit-conflict">\\s*<h2[^>]*id="edit-conflict-heading">[\\s\\S]*?${theirName} saved version 2 while you were editing`));
    expect(html).toContain('noted “Tightened”');
    expect(html).toContain('<p id="edit-conflict-hint">Compare your text with theirs, merge the two by hand, then save again.</p>');
    expect(html).toMatch(/You both changed <a href="#section\.bottom_line">Bottom line<\/a>: their saved text and what they changed are shown beside yours/);
    expect(html).toMatch(/Only they changed <a href="#section\.key_messages">Key messages<\/a>: the editor now holds their text there/);
    expect(html).toContain('Saving makes version 3 from the text in the editor.');

    // A section both changed: the user's unsaved text under its own heading, beside the other person's saved text and their changes.
    const bottomLine = groupOf(html, 'bottom_line');
    expect(bottomLine).toContain('data-merge="both"');
    expect(bottomLine).toMatch(/<h3[^>]*id="section\.bottom_line-yours">\s*Your unsaved text\s*<\/h3>\s*<textarea[^>]*aria-describedby="section\.bottom_line-hint section\.bottom_line-yours section\.bottom_line-error"[^>]*>Telephone befriending helps older people feel less lonely \[@1\]\.<\/textarea>/);
    expect(bottomLine).toMatch(new RegExp(`<h3[^>]*>\\s*Their saved text \\(version 2, ${theirName}\\)\\s*</h3>\\s*<div class="app-conflict__text" id="section\\.bottom_line-theirs">Befriending by telephone reduces loneliness a little \\[@1\\]\\.</div>`));
    expect(bottomLine).toMatch(/What they changed since version 1/);
    expect(bottomLine).toMatch(/<ins><span class="nhsuk-u-visually-hidden">\[added: <\/span>[^<]*reduces loneliness a little \[@1\]\./);
    expect(bottomLine).toContain('Someone saved version 2 while you were editing version 1');
    // A section only they changed now holds their text, and says so; one only the author changed keeps the author's.
    const keyMessages = groupOf(html, 'key_messages');
    expect(keyMessages).toContain('data-merge="theirs"');
    expect(keyMessages).toContain(`You had not changed this section, so it now holds ${theirName}’s text from version 2.`);
    expect(formOf(html)['section.key_messages']).toBe(theirs['section.key_messages']);
    expect(formOf(html)['section.evidence']).toBe('One trial [@1] and one review [@2].');
    // The question, posted back with CRLF line breaks, is not taken for a change.
    expect(groupOf(html, 'question')).toContain('data-merge="unchanged"');
    expect(formOf(html).baseVersion).toBe('2');

    // The author merges the bottom line by hand and saves: version 3 keeps the other fellow's key messages.
    const merged = { ...formOf(html), 'section.bottom_line': 'Telephone befriending reduces loneliness a little in older people [@1].' };
    expect((await send(app, editPath, { session: author, form: merged })).status).toBe(303);
    const detail = await services.briefings.get(workspace.fellow.actor, id as BriefingId);
    expect(detail.briefing.currentVersion).toBe(3);
    const bodies = Object.fromEntries(detail.version.sections.map((section) => [section.key, section.body]));
    expect(bodies.key_messages).toBe(theirs['section.key_messages']);
    expect(bodies.bottom_line).toBe('Telephone befriending reduces loneliness a little in older people [@1].');
    expect(bodies.evidence).toBe('One trial [@1] and one review [@2].');
  });

  it('shows a pipe table as a table on the page and in the exports, its cells citing, and reads it cell by cell for readability', async () => {
    const created = await send(app, '/briefings', { session: author, form: { template: 'decision', title: `Tables ${tag}`, citationStyle: 'vancouver', needId: need.id } });
    const id = idFrom(created);
    const table = '| Study | Effect |\r\n|---|--:|\r\n| Okafor 2021 [@1] | Less lonely |\r\n| Haddad 2023 | Mixed [@2] |';
    expect((await send(app, `/briefings/${id}/edit`, { session: author, form: { baseVersion: '1', 'section.evidence': `Two studies:\r\n${table}` } })).status).toBe(303);

    const page = await (await send(app, `/briefings/${id}`, { session: author })).text();
    const section = /<section[^>]*data-section="evidence"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(section).toMatch(/<p>Two studies:<\/p>\s*<table class="nhsuk-table app-briefing-table">\s*<thead>/);
    expect(section).toMatch(/<th scope="col">Study<\/th>\s*<th scope="col" class="app-align-right">Effect<\/th>/);
    expect(section).toMatch(/<td>Okafor 2021 <sup class="app-cite">\s*\[\s*<a href="#ref-1"/);
    expect(section).toMatch(/<td class="app-align-right">Mixed <sup class="app-cite">\s*\[\s*<a href="#ref-2"/);
    expect(section).not.toContain('|');
    // Readability takes each cell on its own: no "sentence" runs across the pipes.
    expect(page).not.toMatch(/Hardest sentence: “[^”]*\|/);

    const html = await (await send(app, `/briefings/${id}/export.html`, { session: author })).text();
    expect(html).toContain('<thead><tr><th scope="col">Study</th><th scope="col" class="align-right">Effect</th></tr></thead>');
    expect(html).toContain('<td>Okafor 2021 [<a href="#ref-1" aria-label="Reference 1">1</a>]</td>');
    const docx = unzipSync(new Uint8Array(await (await send(app, `/briefings/${id}/export.docx`, { session: author })).arrayBuffer()));
    const word = strFromU8(docx['word/document.xml'] ?? new Uint8Array());
    expect(word.match(/<w:tbl>/g)).toHaveLength(1);
    expect(word).toContain('Less lonely');
    expect(word).not.toContain('|---|');
  });

  it('exports DOCX, PDF and HTML, and shows a public output to anyone by its address', async () => {
    const created = await send(app, '/briefings', { session: author, form: { template: 'public', title: `Befriending for everyone ${tag}`, citationStyle: 'harvard', needId: need.id } });
    const id = idFrom(created);
    await send(app, `/briefings/${id}/edit`, { session: author, form: { baseVersion: '1', 'section.what_we_found': 'Phone calls helped people feel less alone [@1].' } });
    const docx = await send(app, `/briefings/${id}/export.docx`, { session: author });
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const pdf = await send(app, `/briefings/${id}/export.pdf`, { session: author });
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const html = await (await send(app, `/briefings/${id}/export.html`, { session: author })).text();
    expect(html).toContain('Phone calls helped people feel less alone');
    expect(html).toContain('Okafor');
    expect((await send(app, `/briefings/${id}/export.exe`, { session: author })).status).toBe(404);


    // Marked public and delivered, it has a public page anyone can read; until then, none.
    expect((await send(app, `/briefings/${id}/settings`, { session: author, form: { title: `Befriending for everyone ${tag}`, citationStyle: 'harvard', isPublic: 'true' } })).status).toBe(303);
    for (const [session, status] of [
      [author, 'in_review'],
      [reviewer, 'approved'],
    ] as const) {
      // eslint-disable-next-line no-await-in-loop -- in order
      await send(app, `/briefings/${id}/status`, { session, form: { status } });
    }
    const slug = (await services.briefings.get(workspace.fellow.actor, id as never)).briefing.publicSlug ?? '';
    expect(slug).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await send(app, `/p/${slug}`)).status).toBe(404);
    await send(app, `/briefings/${id}/status`, { session: reviewer, form: { status: 'delivered' } });
    const publicPage = await send(app, `/p/${slug}`);
    expect(publicPage.status).toBe(200);
    const text = await publicPage.text();
    expect(text).toContain('Phone calls helped people feel less alone');
    // Harvard: author and year in the text.
    expect(text).toMatch(/Okafor[^<]*2021/);
    expect((await send(app, `/p/${'x'.repeat(24)}`)).status).toBe(404);
  });
});
