import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../accounts/roles.js';
import type { OrganisationId, UserId } from '../shared/ids.js';
import { canCommentOnNeed, canEditNeed, canTriageNeed, canViewNeed, needVisibilityFor } from './permissions.js';
import { canMove, nextStatuses } from './status.js';
import { needStatuses, type NeedStatus } from './types.js';

const organisationA = 'a' as OrganisationId;
const organisationB = 'b' as OrganisationId;
const actor = (role: Role, organisationId: OrganisationId | undefined = organisationA, userId = 'me'): Actor => ({
  userId: userId as UserId,
  role,
  organisationId,
  name: role,
});
const need = (overrides: { isPublic?: boolean; organisationId?: OrganisationId; requester?: string; status?: NeedStatus } = {}) => ({
  isPublic: overrides.isPublic ?? false,
  organisationId: overrides.organisationId ?? organisationB,
  requester: { id: (overrides.requester ?? 'someone') as UserId, name: 'R' },
  createdBy: { id: (overrides.requester ?? 'someone') as UserId, name: 'R' },
  status: overrides.status ?? ('submitted' as NeedStatus),
});

describe('need status', () => {
  it.each([
    ['submitted', 'triaged', true],
    ['submitted', 'in_progress', false],
    ['triaged', 'in_progress', true],
    ['in_progress', 'delivered', true],
    ['delivered', 'in_progress', true],
    ['delivered', 'closed', true],
    ['closed', 'submitted', false],
    ['closed', 'in_progress', false],
  ] as const)('moves from %s to %s: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it('closes every open status, and nothing leaves closed', () => {
    for (const status of needStatuses.filter((value) => value !== 'closed')) {
      expect(nextStatuses(status)).toContain('closed');
    }
    expect(nextStatuses('closed')).toEqual([]);
  });
});

describe('need permissions', () => {
  it.each([
    ['fellow', {}, true],
    ['lead', {}, true],
    ['admin', {}, true],
    ['requester', {}, false],
    ['researcher', {}, false],
    ['contributor', {}, false],
    ['requester', { isPublic: true }, true],
    ['requester', { organisationId: organisationA }, true],
    ['requester', { requester: 'me' }, true],
  ] as const)('lets a %s see a need %o: %s', (role, overrides, expected) => {
    expect(canViewNeed(actor(role), need(overrides))).toBe(expected);
  });

  it('lets a requester see but not join the thread of another organisation’s public need', () => {
    const publicNeed = need({ isPublic: true });
    expect(canViewNeed(actor('requester'), publicNeed)).toBe(true);
    expect(canCommentOnNeed(actor('requester'), publicNeed)).toBe(false);
    expect(canCommentOnNeed(actor('requester', organisationB), publicNeed)).toBe(true);
  });

  it('lets the requesting side edit only until work starts; staff always', () => {
    expect(canEditNeed(actor('requester'), need({ requester: 'me', status: 'triaged' }))).toBe(true);
    expect(canEditNeed(actor('requester'), need({ requester: 'me', status: 'in_progress' }))).toBe(false);
    expect(canEditNeed(actor('fellow'), need({ status: 'delivered' }))).toBe(true);
  });

  it('gives triage to staff only and filters lists by the same rule', () => {
    expect(['requester', 'researcher', 'contributor', 'fellow', 'lead', 'admin'].filter((role) => canTriageNeed(actor(role as Role)))).toEqual(['fellow', 'lead', 'admin']);
    expect(needVisibilityFor(actor('fellow'))).toEqual({ kind: 'all' });
    expect(needVisibilityFor(actor('requester'))).toEqual({ kind: 'limited', userId: 'me', organisationId: organisationA });
  });
});
