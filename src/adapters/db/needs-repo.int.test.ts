import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildTheme, buildWorkspace, needInput, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Database } from './database.js';

describe.each(testDatabases)('needs on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores a need with its themes, audiences and deadline exactly as posted', async () => {
    const { requester, organisation } = await buildWorkspace(services);
    const theme = await buildTheme(services);
    const need = await services.needs.submitNeed(
      requester.actor,
      needInput({ themeIds: [theme.id], audiences: ['board', 'public'], deadlineOn: '2099-01-31' }),
    );
    expect(need).toMatchObject({
      status: 'submitted',
      organisationId: organisation.id,
      organisationName: organisation.name,
      deadlineOn: '2099-01-31',
      audiences: ['board', 'public'],
      themes: [{ id: theme.id, name: theme.name }],
      requester: { id: requester.actor.userId },
    });
    expect(need.reference).toMatch(/^KN-\d{4,}$/);
    const history = await services.needs.listHistory(requester.actor, need.id);
    expect(history.map((event) => [event.kind, event.toStatus, event.actor.id])).toEqual([['submitted', 'submitted', requester.actor.userId]]);
  });

  it('rolls back a triage whose assignee is not staff, leaving status and history untouched', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    const researcher = await buildActor(services, 'researcher');
    const need = await services.needs.submitNeed(requester.actor, needInput());
    await expect(
      services.triage.triageNeed(fellow.actor, need.id, {
        action: 'accept',
        tier: 'quick_answer',
        supportKinds: ['briefing'],
        fellowIds: [researcher.actor.userId],
      }),
    ).rejects.toMatchObject({ code: 'need.assignee_not_staff' });
    const after = await services.needs.getNeed(fellow.actor, need.id);
    expect(after.status).toBe('submitted');
    expect(after.tier).toBeUndefined();
    expect((await services.needs.listHistory(fellow.actor, need.id)).map((event) => event.kind)).toEqual(['submitted']);
  });

  it('lists only visible needs for a requester, with the right total, sorted by deadline', async () => {
    const mine = await buildWorkspace(services);
    const other = await buildWorkspace(services);
    const later = await services.needs.submitNeed(mine.requester.actor, needInput({ deadlineOn: '2099-06-01' }));
    const sooner = await services.needs.submitNeed(mine.requester.actor, needInput({ deadlineOn: '2099-02-01' }));
    const hidden = await services.needs.submitNeed(other.requester.actor, needInput());
    const shared = await services.needs.submitNeed(other.requester.actor, needInput({ isPublic: true }));
    const { needs, total } = await services.needs.listNeeds(mine.requester.actor, { mine: true, limit: 50, offset: 0 });
    expect(needs.map((need) => need.id)).toEqual([sooner.id, later.id]);
    expect(total).toBe(2);
    const visible = await services.needs.listNeeds(mine.requester.actor, { limit: 200, offset: 0 });
    const ids = visible.needs.map((need) => need.id);
    expect(ids).toContain(shared.id);
    expect(ids).not.toContain(hidden.id);
    await expect(services.needs.getNeed(mine.requester.actor, hidden.id)).rejects.toMatchObject({ code: 'auth.forbidden' });
  });

  it('keeps internal notes from the requester', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    const need = await services.needs.submitNeed(requester.actor, needInput());
    await services.needs.addComment(fellow.actor, need.id, { body: 'Hello', isInternal: false });
    await services.needs.addComment(fellow.actor, need.id, { body: 'Staff only', isInternal: true });
    expect((await services.needs.listComments(requester.actor, need.id)).map((comment) => comment.body)).toEqual(['Hello']);
    expect((await services.needs.listComments(fellow.actor, need.id)).map((comment) => comment.body)).toEqual(['Hello', 'Staff only']);
    await expect(services.needs.addComment(requester.actor, need.id, { body: 'sneaky', isInternal: true })).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
  });
});
