import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/core/accounts/roles.js';
import type { NeedStore } from '../../src/core/needs/ports.js';
import type { Comment, Need, NeedEvent } from '../../src/core/needs/types.js';
import type { NeedId, OrganisationId, ThemeId, UserId } from '../../src/core/shared/ids.js';

interface Account {
  id: UserId;
  name: string;
  role: Role;
  organisationId: OrganisationId | undefined;
}

/**
 * An in-memory NeedStore with the repository's contract, including transactions: a failed
 * transaction leaves no trace (the fake snapshots its state and restores it on error).
 */
export const createMemoryNeedStore = (seed: { accounts?: Account[]; organisations?: { id: OrganisationId; name: string }[]; themes?: { id: ThemeId; name: string }[] } = {}) => {
  const state = {
    needs: new Map<NeedId, Need>(),
    events: [] as NeedEvent[],
    comments: [] as Comment[],
  };
  const accounts = new Map((seed.accounts ?? []).map((account) => [account.id, account]));
  const organisations = new Map((seed.organisations ?? []).map((organisation) => [organisation.id, organisation]));
  const themes = new Map((seed.themes ?? []).map((theme) => [theme.id, theme]));
  let counter = 0;
  const person = (id: UserId) => ({ id, name: accounts.get(id)?.name ?? 'unknown' });

  const store: NeedStore = {
    transaction: async (work) => {
      const snapshot = { needs: new Map(state.needs), events: [...state.events], comments: [...state.comments] };
      try {
        return await work(store);
      } catch (error) {
        Object.assign(state, snapshot);
        throw error;
      }
    },
    findNeed: async (id) => state.needs.get(id),
    listNeeds: async (visibility, filter, actorId) => {
      const visible = [...state.needs.values()].filter(
        (need) =>
          (visibility.kind === 'all' ||
            need.isPublic ||
            need.requester?.id === visibility.userId ||
            need.createdBy.id === visibility.userId ||
            (visibility.organisationId !== undefined && need.organisationId === visibility.organisationId)) &&
          (!filter.status || need.status === filter.status) &&
          (!filter.mine || need.requester?.id === actorId || need.createdBy.id === actorId || need.fellows.some((fellow) => fellow.id === actorId)),
      );
      return { needs: visible.slice(filter.offset, filter.offset + filter.limit), total: visible.length };
    },
    insertNeed: async (input) => {
      const id = randomUUID() as NeedId;
      counter += 1;
      state.needs.set(id, {
        ...input,
        id,
        reference: `KN-${String(counter).padStart(4, '0')}`,
        organisationName: input.organisationId ? organisations.get(input.organisationId)?.name : undefined,
        themes: input.themeIds.map((themeId) => ({ id: themeId, name: themes.get(themeId)?.name ?? '' })),
        status: 'submitted',
        tier: undefined,
        supportKinds: [],
        resolution: undefined,
        declineReason: undefined,
        mergedIntoId: undefined,
        requester: input.requesterId ? person(input.requesterId) : undefined,
        createdBy: person(input.createdById),
        fellows: [],
        createdAt: new Date(0),
        updatedAt: new Date(0),
      });
      return id;
    },
    updateNeedFields: async (id, fields) => {
      const need = state.needs.get(id);
      if (need) {
        state.needs.set(id, { ...need, ...fields, themes: fields.themeIds.map((themeId) => ({ id: themeId, name: themes.get(themeId)?.name ?? '' })) });
      }
    },
    patchNeed: async (id, patch) => {
      const need = state.needs.get(id);
      if (need) {
        state.needs.set(id, { ...need, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) });
      }
    },
    addFellows: async (id, userIds) => {
      const need = state.needs.get(id);
      if (!need) {
        return [];
      }
      const added = userIds.filter((userId) => !need.fellows.some((fellow) => fellow.id === userId));
      state.needs.set(id, { ...need, fellows: [...need.fellows, ...added.map(person)] });
      return added;
    },
    appendEvent: async (event) => {
      const stored: NeedEvent = {
        id: randomUUID(),
        needId: event.needId,
        kind: event.kind,
        actor: person(event.actorId),
        fromStatus: event.fromStatus,
        toStatus: event.toStatus,
        detail: event.detail ?? {},
        at: new Date(state.events.length),
      };
      state.events.push(stored);
      return stored;
    },
    listEvents: async (id) => state.events.filter((event) => event.needId === id),
    insertComment: async (comment) => {
      const author = accounts.get(comment.authorId);
      const stored: Comment = {
        id: randomUUID() as Comment['id'],
        needId: comment.needId,
        author: { id: comment.authorId, name: author?.name ?? '', role: author?.role ?? 'requester' },
        body: comment.body,
        isInternal: comment.isInternal,
        createdAt: new Date(state.comments.length),
      };
      state.comments.push(stored);
      return stored;
    },
    listComments: async (id, includeInternal) => state.comments.filter((comment) => comment.needId === id && (includeInternal || !comment.isInternal)),
    findAccounts: async (ids) => ids.flatMap((id) => accounts.get(id) ?? []).map(({ id, role, organisationId }) => ({ id, role, organisationId })),
    countThemes: async (ids) => ids.filter((id) => themes.has(id)).length,
    organisationExists: async (id) => organisations.has(id),
  };
  return { store, state };
};
