import { diffWords, type WordChange } from './diff.js';
import type { BriefingVersion, Section } from './types.js';

/**
 * How one section stands after a save was refused because someone else saved first:
 * - `unchanged`: neither side changed it;
 * - `yours`: only the editor's user changed it, so their text stays;
 * - `theirs`: only the other person changed it, so the editor takes their text (keeping the user's old
 *   text would undo their change at the next save);
 * - `both`: both changed it, differently, so the user merges by hand.
 */
export type SectionMergeKind = 'unchanged' | 'yours' | 'theirs' | 'both';

export interface SectionMerge {
  key: string;
  heading: string;
  kind: SectionMergeKind;
  /** The other person's saved text (the current version). */
  theirs: string;
  /** What the editor holds next: the user's text, or theirs when only they changed the section. */
  merged: string;
  /** What the other person changed, from the version the user opened to the current one. */
  changes: WordChange[];
}

// Browsers post a textarea's line breaks as CRLF, while text written by the server uses LF: the same text either way.
const sameText = (left: string, right: string): boolean => left.replace(/\r\n?/g, '\n') === right.replace(/\r\n?/g, '\n');

/**
 * A three-way merge by section, as version control merges files: the version the user opened (`base`),
 * the current one someone else saved (`theirs`) and what the user typed (`typed`, by section key; a
 * section not posted counts as untouched). Only sections both changed are left to the user.
 */
export const mergeSections = (base: readonly Section[], theirs: readonly Section[], typed: ReadonlyMap<string, string>): SectionMerge[] => {
  const opened = new Map(base.map((section) => [section.key, section.body]));
  return theirs.map((section): SectionMerge => {
    const before = opened.get(section.key) ?? '';
    const yours = typed.get(section.key) ?? before;
    const isTheirs = !sameText(section.body, before);
    const isYours = !sameText(yours, before);
    const kind: SectionMergeKind = !isTheirs ? (isYours ? 'yours' : 'unchanged') : !isYours || sameText(yours, section.body) ? 'theirs' : 'both';
    return {
      key: section.key,
      heading: section.heading,
      kind,
      theirs: section.body,
      merged: kind === 'theirs' ? section.body : yours,
      changes: isTheirs ? diffWords(before, section.body) : [],
    };
  });
};

/** What the editor shows after a save refused because someone else saved first. */
export interface EditConflict {
  /** The version the user opened. */
  baseVersion: number;
  /** The version someone else saved since, now the current one. */
  current: Omit<BriefingVersion, 'sections'>;
  sections: SectionMerge[];
}
