import { describe, expect, it } from 'vitest';
import { createMemoryNeedStore } from '../../../test/fakes/need-store.js';
import { createFakeClock } from '../../../test/fakes/clock.js';
import type { Actor, Role } from '../accounts/roles.js';
import type { OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import type { NeedInput } from './need.schema.js';
import { createNeeds } from './needs.js';
import { createTriage } from './triage.js';
import type { NeedLiveEvent } from './types.js';

const lambeth = 'org-lambeth' as OrganisationId;
const lewisham = 'org-lewisham' as OrganisationId;
const themeId = 'theme-1' as ThemeId;
const account = (id: string, role: Role, organisationId?: OrganisationId) => ({ id: id as UserId, name: id, role, organisationId });
const actorOf = ({ id, role, organisationId, name }: ReturnType<typeof account>): Actor => ({ userId: id, role, organisationId, name });
const people = {
  requester: account('requester', 'requester', lambeth),
  other: account('other', 'requester', lewisham),
  fellow: account('fellow', 'fellow'),
  lead: account('lead', 'lead'),
  researcher: account('researcher', 'researcher'),
};

const setup = () => {
  const { store, state } = createMemoryNeedStore({
    accounts: Object.values(people),
    organisations: [
      { id: lambeth, name: 'Lambeth' },
      { id: lewisham, name: 'Lewisham' },
    ],
    themes: [{ id: themeId, name: 'Social care' }],
  });
  const published: NeedLiveEvent[] = [];
  const publisher = { publish: (event: NeedLiveEvent) => published.push(event) };
  const { clock } = createFakeClock(new Date('2026-03-02T09:00:00Z'));
  return { state, published, needs: createNeeds({ store, clock, publisher }), triage: createTriage({ store, publisher }) };
};

const input = (overrides: Partial<NeedInput> = {}): NeedInput => ({
  title: 'Falls in care homes',
  question: 'What reduces falls in care homes?',
  decision: 'Whether to fund a programme',
  decisionMaker: '',
  population: '',
  setting: '',
  triedSoFar: '',
  urgency: 'soon',
  audiences: ['board'],
  themeIds: [],
  isPublic: false,
  shareWithArcs: false,
  ...overrides,
});

describe('submitting a need', () => {
  it('files a requester’s need under their own organisation, whatever organisation they name', async () => {
    const { needs } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input({ organisationId: lewisham }));
    expect(need.organisationId).toBe(lambeth);
    expect(need.requester?.id).toBe('requester');
  });

  it('lets a fellow post on a requester’s behalf, defaulting to the requester’s organisation', async () => {
    const { needs } = setup();
    const need = await needs.submitNeed(actorOf(people.fellow), input({ requesterId: 'requester' }));
    expect(need).toMatchObject({ organisationId: lambeth, requester: { id: 'requester' }, createdBy: { id: 'fellow' } });
  });

  it.each([
    [{ deadlineOn: '2026-03-01' }, 'deadlineOn'],
    [{ themeIds: ['missing-theme'] }, 'themeIds'],
  ])('refuses %o, naming the field', async (overrides, field) => {
    const { needs, state } = setup();
    await expect(needs.submitNeed(actorOf(people.requester), input(overrides))).rejects.toMatchObject({ code: 'validation.failed', details: { fields: { [field]: expect.any(String) } } });
    expect(state.needs.size).toBe(0);
  });

  it('accepts a deadline of today', async () => {
    const { needs } = setup();
    await expect(needs.submitNeed(actorOf(people.requester), input({ deadlineOn: '2026-03-02', themeIds: [themeId] }))).resolves.toMatchObject({ deadlineOn: '2026-03-02' });
  });
});

describe('triage', () => {
  it('accepts with a tier and support, assigns staff, records history and announces the change', async () => {
    const { needs, triage, published } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input());
    const triaged = await triage.triageNeed(actorOf(people.fellow), need.id, { action: 'accept', tier: 'rapid_review', supportKinds: ['briefing'], fellowIds: ['fellow', 'lead'] });
    expect(triaged).toMatchObject({ status: 'triaged', tier: 'rapid_review', supportKinds: ['briefing'] });
    expect(triaged.fellows.map((fellow) => fellow.id)).toEqual(['fellow', 'lead']);
    const history = await needs.listHistory(actorOf(people.fellow), need.id);
    expect(history.map((event) => event.kind)).toEqual(['submitted', 'triaged', 'assigned']);
    expect(published.map((event) => event.type)).toEqual(['status', 'history']);
  });

  it('refuses triage by a requester and a second triage of the same need', async () => {
    const { needs, triage } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input());
    const accept = { action: 'accept' as const, tier: 'quick_answer' as const, supportKinds: ['briefing' as const], fellowIds: [] };
    await expect(triage.triageNeed(actorOf(people.requester), need.id, accept)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await triage.triageNeed(actorOf(people.fellow), need.id, accept);
    await expect(triage.triageNeed(actorOf(people.fellow), need.id, accept)).rejects.toMatchObject({ code: 'need.invalid_transition' });
  });

  it('declines with the reason shown to the requester', async () => {
    const { needs, triage } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input());
    const declined = await triage.triageNeed(actorOf(people.fellow), need.id, { action: 'decline', reason: 'Outside the ARC’s remit' });
    expect(declined).toMatchObject({ status: 'closed', resolution: 'declined', declineReason: 'Outside the ARC’s remit' });
  });

  it('merges into another open need, and notes it on both; never into itself or a closed need', async () => {
    const { needs, triage } = setup();
    const first = await needs.submitNeed(actorOf(people.requester), input());
    const second = await needs.submitNeed(actorOf(people.other), input());
    await expect(triage.triageNeed(actorOf(people.fellow), second.id, { action: 'merge', targetId: second.id })).rejects.toMatchObject({ code: 'need.merge_target_invalid' });
    const merged = await triage.triageNeed(actorOf(people.fellow), second.id, { action: 'merge', targetId: first.id });
    expect(merged).toMatchObject({ status: 'closed', resolution: 'merged', mergedIntoId: first.id });
    expect((await needs.listHistory(actorOf(people.fellow), first.id)).map((event) => event.kind)).toEqual(['submitted', 'merged']);
    const third = await needs.submitNeed(actorOf(people.requester), input());
    await expect(triage.triageNeed(actorOf(people.fellow), third.id, { action: 'merge', targetId: second.id })).rejects.toMatchObject({ code: 'need.merge_target_invalid' });
  });

  it('walks the status forward and refuses skipping triage', async () => {
    const { needs, triage } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input());
    await expect(triage.changeStatus(actorOf(people.fellow), need.id, { status: 'in_progress' })).rejects.toMatchObject({ code: 'need.invalid_transition' });
    await triage.triageNeed(actorOf(people.fellow), need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [] });
    for (const status of ['in_progress', 'delivered', 'closed'] as const) {
      // eslint-disable-next-line no-await-in-loop -- each step depends on the one before
      await triage.changeStatus(actorOf(people.fellow), need.id, { status });
    }
    expect((await needs.getNeed(actorOf(people.requester), need.id)).resolution).toBe('completed');
  });
});

describe('dialogue', () => {
  it('keeps internal notes from the requester and from live events they receive, but publishes both', async () => {
    const { needs, published } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input());
    await needs.addComment(actorOf(people.fellow), need.id, { body: 'Hello', isInternal: false });
    await needs.addComment(actorOf(people.fellow), need.id, { body: 'Staff only', isInternal: true });
    expect((await needs.listComments(actorOf(people.requester), need.id)).map((comment) => comment.body)).toEqual(['Hello']);
    expect(published.filter((event) => event.type === 'comment')).toHaveLength(2);
  });

  it('lets the requesting side and staff talk, but not a researcher from elsewhere on a public need', async () => {
    const { needs } = setup();
    const need = await needs.submitNeed(actorOf(people.requester), input({ isPublic: true }));
    await expect(needs.addComment(actorOf(people.researcher), need.id, { body: 'Hi', isInternal: false })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(needs.addComment(actorOf(people.requester), need.id, { body: 'Hi', isInternal: false })).resolves.toBeDefined();
  });
});

describe('editing a need', () => {
  it('records which fields changed, and stops the requester editing once work has started', async () => {
    const { needs, triage } = setup();
    const requester = actorOf(people.requester);
    const need = await needs.submitNeed(requester, input());
    const edited = await needs.editNeed(requester, need.id, input({ title: 'Falls in care homes and hospitals', themeIds: [themeId] }));
    expect(edited.title).toBe('Falls in care homes and hospitals');
    const [, editEvent] = await needs.listHistory(requester, need.id);
    expect(editEvent).toMatchObject({ kind: 'edited', detail: { fields: ['title', 'themeIds'] } });
    await triage.triageNeed(actorOf(people.fellow), need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [] });
    await triage.changeStatus(actorOf(people.fellow), need.id, { status: 'in_progress' });
    await expect(needs.editNeed(requester, need.id, input())).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(needs.editNeed(actorOf(people.fellow), need.id, input({ urgency: 'urgent' }))).resolves.toMatchObject({ urgency: 'urgent' });
  });
});
