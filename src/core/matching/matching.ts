import { assertThat } from '../shared/errors.js';
import type { NeedId, RecordId } from '../shared/ids.js';
import type { Clock } from '../shared/clock.js';
import type { Actor } from '../accounts/roles.js';
import { boostsFor } from '../evidence/search-defaults.js';
import type { SearchFilters } from '../evidence/search.js';
import type { EvidenceLibrary } from '../evidence/library.js';
import { loadVisibleNeed } from '../needs/needs.js';
import { canTriageNeed, canViewNeed } from '../needs/permissions.js';
import type { NeedStore } from '../needs/ports.js';
import type { Need } from '../needs/types.js';
import type { ExpertIndex, NeedIndex, PinStore } from './ports.js';
import { personAsSeenBy } from '../organisations/directory.js';
import type { DirectoryStore } from '../organisations/ports.js';
import type { Person } from '../organisations/types.js';

/** The words of a need that describe what evidence would answer it (issue #4: question, population, decision context). */
export const needQueryText = (need: Pick<Need, 'title' | 'question' | 'population' | 'setting' | 'decision'>): string =>
  [need.title, need.question, need.population, need.setting, need.decision].filter((part) => part.trim().length > 0).join('. ');

export interface MatchingDeps {
  needs: NeedStore;
  evidence: Pick<EvidenceLibrary, 'searchEvidence' | 'selectForExport'>;
  pins: PinStore;
  needIndex: NeedIndex;
  experts: ExpertIndex;
  directory: Pick<DirectoryStore, 'listPeople'>;
  clock: Clock;
  /** RM3 expansion for need queries: long questions gain little, so this is a product choice. */
  expand: boolean;
}

/** Matching a need to evidence and to other needs, and the evidence a fellow pins to it. */
export const createMatching = ({ needs, evidence, pins, needIndex, experts, directory, clock, expand }: MatchingDeps) => {
  const matchEvidence = async (actor: Actor, needId: NeedId, options: { limit: number; offset?: number; filters?: SearchFilters } = { limit: 5 }) => {
    const need = await loadVisibleNeed(needs, actor, needId);
    const [result, pinned] = await Promise.all([
      evidence.searchEvidence(actor, {
        text: needQueryText(need),
        limit: options.limit,
        offset: options.offset ?? 0,
        filters: options.filters ?? {},
        boosts: boostsFor('boosted', clock.now().getUTCFullYear()),
        expand,
        explain: true,
      }),
      pins.listPins(needId),
    ]);
    const pinnedIds = new Set(pinned.map((pin) => pin.recordId as string));
    return { ...result, query: needQueryText(need), hits: result.hits.map((hit) => ({ ...hit, isPinned: pinnedIds.has(hit.id) })) };
  };

  /** Other needs that ask something alike: reuse answers, avoid duplicate work. Only needs the actor may see. */
  const similarNeeds = async (actor: Actor, needId: NeedId, limit = 5): Promise<(Need & { score: number })[]> => {
    const need = await loadVisibleNeed(needs, actor, needId);
    const found = await needIndex.similar(needQueryText(need), limit * 4 + 1);
    const similar: (Need & { score: number })[] = [];
    for (const { needId: otherId, score } of found) {
      if (otherId === needId || similar.length >= limit) {
        continue;
      }
      // eslint-disable-next-line no-await-in-loop -- a handful of lookups, in rank order
      const other = await needs.findNeed(otherId);
      if (other && canViewNeed(actor, other)) {
        similar.push({ ...other, score });
      }
    }
    return similar;
  };

  const listPinned = async (actor: Actor, needId: NeedId) => {
    await loadVisibleNeed(needs, actor, needId);
    const list = await pins.listPins(needId);
    const records = await evidence.selectForExport(actor, { ids: list.map((pin) => pin.recordId) });
    const byId = new Map(records.map((record) => [record.id as string, record]));
    return list.flatMap((pin) => {
      const record = byId.get(pin.recordId);
      return record ? [{ ...pin, record }] : [];
    });
  };

  const pinEvidence = async (actor: Actor, needId: NeedId, recordId: RecordId, note = ''): Promise<void> => {
    assertThat(canTriageNeed(actor), 'auth.forbidden', 'Only fellows, leads and administrators pin evidence to needs');
    await loadVisibleNeed(needs, actor, needId);
    assertThat(await pins.recordExists(recordId), 'record.not_found', 'No such record');
    await pins.insertPin({ needId, recordId, pinnedBy: actor.userId, note: note.trim() });
  };

  const unpinEvidence = async (actor: Actor, needId: NeedId, recordId: RecordId): Promise<void> => {
    assertThat(canTriageNeed(actor), 'auth.forbidden', 'Only fellows, leads and administrators unpin evidence');
    await loadVisibleNeed(needs, actor, needId);
    assertThat(await pins.deletePin(needId, recordId), 'record.not_found', 'That record is not pinned to this need');
  };

  /** People whose expertise, themes or own records match the need, with the words that matched. */
  const matchPeople = async (actor: Actor, needId: NeedId, limit = 5): Promise<(Person & { score: number; matched: string[] })[]> => {
    const need = await loadVisibleNeed(needs, actor, needId);
    const found = await experts.matching(needQueryText(need), limit);
    if (found.length === 0) {
      return [];
    }
    const people = new Map((await directory.listPeople({})).map((person) => [person.id as string, person]));
    return found.flatMap(({ personId, score, terms }) => {
      const person = people.get(personId);
      return person ? [{ ...personAsSeenBy(actor, person), score, matched: terms }] : [];
    });
  };

  return { matchEvidence, similarNeeds, matchPeople, listPinned, pinEvidence, unpinEvidence };
};

export type Matching = ReturnType<typeof createMatching>;
