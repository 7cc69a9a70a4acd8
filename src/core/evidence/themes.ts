import { AppError } from '../shared/errors.js';
import { isUuid, type ThemeId } from '../shared/ids.js';
import { isStaff, type Actor } from '../accounts/roles.js';
import type { EvidenceStore } from './ports.js';
import type { RecordTheme } from './types.js';

/** Who tags records with research themes: staff, who curate the library for needs. */
export const canSetRecordThemes = (actor: Actor | undefined): boolean => actor !== undefined && isStaff(actor.role);

/**
 * The themes behind `themeIds`, each once; `validation.failed` on `themeIds` naming any that do not
 * exist, before anything is written.
 */
export const resolveThemes = async (store: Pick<EvidenceStore, 'findThemes'>, themeIds: readonly ThemeId[]): Promise<RecordTheme[]> => {
  const unique = [...new Set(themeIds)];
  if (unique.length === 0) {
    return [];
  }
  // Ids that are not even UUIDs are unknown too (a tampered form), and never reach the database.
  const found = await store.findThemes(unique.filter(isUuid));
  const known = new Set<string>(found.map((theme) => theme.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new AppError('validation.failed', `No such theme: ${missing.join(', ')}`, { fields: { themeIds: 'Choose themes from the list' }, missing });
  }
  return found;
};

/**
 * Themes named by the operator (the command line takes names or ids): each name or id matched to its
 * theme, ignoring case, and the ones that match none.
 */
export const lookUpThemes = async (store: Pick<EvidenceStore, 'findThemes' | 'findThemesByName'>, namesOrIds: readonly string[]): Promise<{ themes: RecordTheme[]; unknown: string[] }> => {
  const keys = [...new Set(namesOrIds.map((key) => key.trim()).filter((key) => key.length > 0))];
  const [byId, byName] = await Promise.all([store.findThemes(keys.filter(isUuid) as ThemeId[]), store.findThemesByName(keys)]);
  const themes = new Map<string, RecordTheme>();
  const unknown: string[] = [];
  for (const key of keys) {
    const theme = byId.find((candidate) => candidate.id.toLowerCase() === key.toLowerCase()) ?? byName.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    if (theme) {
      themes.set(theme.id, theme);
    } else {
      unknown.push(key);
    }
  }
  return { themes: [...themes.values()], unknown };
};
