import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../accounts/roles.js';
import type { UserId } from '../shared/ids.js';
import { approvalRefusal } from './briefings.js';

const actor = (role: Role, userId = 'someone-else'): Actor => ({ userId: userId as UserId, role, organisationId: undefined, name: role });
const author = 'author' as UserId;

describe('approvalRefusal (four eyes)', () => {
  it('refuses the fellow who wrote the current version, saying another fellow must approve', () => {
    expect(approvalRefusal(actor('fellow', author), author)).toMatch(/^Another fellow must approve this briefing/);
  });

  it('lets another fellow approve, and a lead or administrator even their own text', () => {
    expect(approvalRefusal(actor('fellow'), author)).toBeUndefined();
    expect(approvalRefusal(actor('lead', author), author)).toBeUndefined();
    expect(approvalRefusal(actor('admin', author), author)).toBeUndefined();
  });

  it('refuses everyone who is not staff', () => {
    for (const role of ['requester', 'researcher', 'contributor'] as const) {
      expect(approvalRefusal(actor(role), author), role).toBe('Only fellows, leads and administrators approve briefings');
    }
  });
});
