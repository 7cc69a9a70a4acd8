import type { OrganisationId, UserId } from '../shared/ids.js';

/** The six roles of docs/glossary.md; see DESIGN.md "Who uses it". */
export const roles = ['requester', 'fellow', 'researcher', 'contributor', 'lead', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  requester: 'Requester',
  fellow: 'Knowledge mobilisation fellow',
  researcher: 'Researcher',
  contributor: 'Public contributor',
  lead: 'Lead',
  admin: 'Administrator',
};

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/** Who is asking: every use case takes one and checks it before it reads or writes. */
export interface Actor {
  userId: UserId;
  role: Role;
  organisationId: OrganisationId | undefined;
  name: string;
}

/** Staff run the service: they see every need and internal notes, and triage. */
export const isStaff = (role: Role): boolean => role === 'fellow' || role === 'lead' || role === 'admin';

/** Who may manage partner organisations, people and themes. */
export const canManageDirectory = (role: Role): boolean => isStaff(role);

/** Only administrators create accounts and change roles. */
export const canManageAccounts = (role: Role): boolean => role === 'admin';
