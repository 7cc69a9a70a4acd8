import { isStaff, type Actor } from '../accounts/roles.js';
import type { Review } from './types.js';

const roleIn = (actor: Actor, review: Pick<Review, 'members'>) => review.members.find((member) => member.userId === actor.userId)?.role;

/** Fellows, leads and administrators run reviews; researchers contribute to them (DESIGN.md roles). */
export const canCreateReview = (actor: Actor): boolean => isStaff(actor.role) || actor.role === 'researcher';

/** Staff see every review; anyone else only the reviews they are on. */
export const canViewReview = (actor: Actor, review: Pick<Review, 'members'>): boolean => isStaff(actor.role) || roleIn(actor, review) !== undefined;

/** The review's leads run it; the ARC's leads and administrators may step in. */
export const canManageReview = (actor: Actor, review: Pick<Review, 'members'>): boolean =>
  roleIn(actor, review) === 'lead' || actor.role === 'lead' || actor.role === 'admin';

/**
 * Blinding: in a blind review only those who manage it see everyone's decisions (on the card, in the
 * decision log and its export); other members see their own, so none can read a decision before making theirs.
 */
export const seesAllDecisions = (actor: Actor, review: Pick<Review, 'members' | 'isBlind'>): boolean => !review.isBlind || canManageReview(actor, review);

/** The decisions of a log this actor may see: all of them, or under blinding their own (see `seesAllDecisions`). */
export const decisionsVisibleTo = <T extends { screenerId: string }>(actor: Actor, review: Pick<Review, 'members' | 'isBlind'>, decisions: T[]): T[] =>
  seesAllDecisions(actor, review) ? decisions : decisions.filter((decision) => decision.screenerId === actor.userId);

/** Every member screens. */
export const canScreen = (actor: Actor, review: Pick<Review, 'members'>): boolean => roleIn(actor, review) !== undefined;

/** Review leads and arbiters settle conflicts (and must not be one of the two who disagreed). */
export const canResolveConflicts = (actor: Actor, review: Pick<Review, 'members'>): boolean => {
  const role = roleIn(actor, review);
  return role === 'lead' || role === 'arbiter';
};
