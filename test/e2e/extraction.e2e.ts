import { describe, expect, it } from 'vitest';
import type { ParseEvent, RecordFields } from '../../src/core/evidence/record.js';
import { emptyRecord } from '../../src/core/evidence/record.js';
import type { RecordId } from '../../src/core/shared/ids.js';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, reviewInput, unique } from '../support/builders.js';

async function* events(records: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of records.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), ...fields } };
  }
}

describe.runIf(browserAvailable())('data extraction in the browser', () => {
  const { server, signedIn } = useBrowserSuite();

  it('one member of the team fills in an included record’s form, and a second checks the answers', async () => {
    const { services } = server;
    const tag = unique('zq').replace(' ', '');
    const [lead, screener] = await Promise.all([buildActor(services, 'fellow'), buildActor(services, 'researcher')]);
    const review = await services.reviews.createReview(lead.actor, reviewInput({ title: `Befriending ${tag}` }));
    await services.reviews.setTeam(lead.actor, review.id, {
      members: [
        { userId: lead.actor.userId, role: 'lead' },
        { userId: screener.actor.userId, role: 'screener' },
      ],
    });
    await services.reviews.importRecords(lead.actor, review.id, 'MEDLINE', (libraryId) =>
      services.evidenceImport.importRecords(lead.actor, {
        fileName: 'medline.ris',
        format: 'ris',
        events: events([{ title: `Befriending ${tag} for older people living alone: a randomised trial`, authors: ['Okafor, A'], year: 2021, journal: 'Age and Ageing' }]),
        fileSha256: () => 'x',
        libraryId,
      }),
    );
    const [entry] = (await services.reviews.overview(lead.actor, review.id)).progress;
    const recordId = entry?.recordId as RecordId;
    await services.reviews.decide(lead.actor, review.id, { recordId, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(lead.actor, review.id, { recordId, stage: 'full_text', decision: 'include' });
    const [setting, size, outcomes] = await services.extraction.saveForm(lead.actor, review.id, {
      fields: [
        { label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: true },
        { label: 'Sample size', kind: 'number', choices: [], columns: [], isRequired: true },
        { label: 'Outcomes', kind: 'table', choices: [], columns: ['Outcome', 'Effect'], isRequired: false },
      ],
    });
    const listUrl = `${server.url}/reviews/${review.id}/extraction`;

    // The screener fills the form in.
    const screenerPage = await signedIn(screener.email);
    await screenerPage.goto(listUrl);
    await Promise.all([screenerPage.waitForURL(/\/extraction\/records\//), screenerPage.getByRole('link', { name: /^Befriending/ }).click()]);
    expect(await axeViolations(screenerPage)).toEqual([]);
    await screenerPage.locator(`[name="answers.${setting?.id}"]`).fill('Community centres in Leeds');
    await screenerPage.locator(`[name="answers.${size?.id}"]`).fill('240');
    await screenerPage.locator(`[name="answers.${outcomes?.id}.0.0"]`).fill('Loneliness (UCLA)');
    await screenerPage.locator(`[name="answers.${outcomes?.id}.0.1"]`).fill('MD −2.1 (95% CI −3.4 to −0.8)');
    await Promise.all([screenerPage.waitForURL(/\/extraction#record-/), screenerPage.getByRole('button', { name: 'Save answers' }).click()]);
    expect(await screenerPage.locator(`#record-${recordId}`).textContent()).toContain('Complete');
    // Their own answers are not theirs to check: the page says why, and offers no button.
    await screenerPage.goto(`${listUrl}/records/${recordId}`);
    expect(await screenerPage.locator('#check-hint').textContent()).toContain('A second member of the team checks the answers');
    expect(await screenerPage.getByRole('button', { name: 'Mark the answers as checked' }).count()).toBe(0);

    // The lead reads them and marks them as checked.
    const leadPage = await signedIn(lead.email);
    await leadPage.goto(`${server.url}/reviews/${review.id}/extraction/records/${recordId}`);
    expect(await leadPage.locator('#check-status').textContent()).toBe('Not checked yet.');
    expect(await axeViolations(leadPage)).toEqual([]);
    await Promise.all([leadPage.waitForURL(/\/extraction#record-/), leadPage.getByRole('button', { name: 'Mark the answers as checked' }).click()]);
    const row = (await leadPage.locator(`#record-${recordId}`).textContent()) ?? '';
    expect(row).toContain('Complete and checked');
    expect(row).toContain(`Checked by ${lead.actor.name}`);
    expect(await axeViolations(leadPage)).toEqual([]);
  });
});
