import { isStaff, type Actor } from '../accounts/roles.js';
import type { Need } from './types.js';

type Visible = Pick<Need, 'isPublic' | 'organisationId' | 'requester' | 'createdBy'>;

const isOwnedBy = (actor: Actor, need: Visible): boolean =>
  need.requester?.id === actor.userId ||
  need.createdBy.id === actor.userId ||
  (actor.organisationId !== undefined && need.organisationId === actor.organisationId);

/**
 * Staff see every need; everyone else sees needs from their own organisation, their own needs and
 * needs marked public (issue #2, item 4). The same rule is applied in SQL by `NeedVisibility`.
 */
export const canViewNeed = (actor: Actor, need: Visible): boolean =>
  isStaff(actor.role) || need.isPublic || isOwnedBy(actor, need);

/** The dialogue is between the requesting side and the fellows. */
export const canCommentOnNeed = (actor: Actor, need: Visible): boolean => isStaff(actor.role) || isOwnedBy(actor, need);

export const canEditNeed = (actor: Actor, need: Visible & Pick<Need, 'status'>): boolean =>
  isStaff(actor.role) || (isOwnedBy(actor, need) && (need.status === 'submitted' || need.status === 'triaged'));

export const canTriageNeed = (actor: Actor): boolean => isStaff(actor.role);

/** Visibility as data, for repositories to filter inside SQL so that paging stays right. */
export type NeedVisibility = { kind: 'all' } | { kind: 'limited'; userId: string; organisationId: string | undefined };

export const needVisibilityFor = (actor: Actor): NeedVisibility =>
  isStaff(actor.role) ? { kind: 'all' } : { kind: 'limited', userId: actor.userId, organisationId: actor.organisationId };
