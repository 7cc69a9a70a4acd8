import type { NeedStatus } from './types.js';

/**
 * Allowed moves. Triage is the only way out of `submitted` into work; any open need can be closed
 * (declined, merged, withdrawn); a delivered need can be reopened when the requester needs more.
 */
const transitions: Record<NeedStatus, readonly NeedStatus[]> = {
  submitted: ['triaged', 'closed'],
  triaged: ['in_progress', 'closed'],
  in_progress: ['delivered', 'closed'],
  delivered: ['in_progress', 'closed'],
  closed: [],
};

export const canMove = (from: NeedStatus, to: NeedStatus): boolean => transitions[from].includes(to);

export const nextStatuses = (from: NeedStatus): readonly NeedStatus[] => transitions[from];

export const isOpen = (status: NeedStatus): boolean => status !== 'closed';
