import { describe, expect, it } from 'vitest';
import type { RecordTheme } from '../evidence/types.js';
import type { ThemeId } from '../shared/ids.js';
import { activeFilters, deletedThemeCount } from './living.js';

const carers: RecordTheme = { id: '5d1f0c2a-7a55-4c1e-9d0e-3b6f2a9c0001' as ThemeId, name: 'Carers' };
const falls: RecordTheme = { id: '5d1f0c2a-7a55-4c1e-9d0e-3b6f2a9c0002' as ThemeId, name: 'Falls prevention' };

describe('activeFilters and deletedThemeCount (a saved search’s theme filter)', () => {
  it('keeps a search without a theme filter as it was saved', () => {
    const saved = { filters: { yearFrom: 2015, designs: ['rct'] as const }, themes: [] };
    expect(activeFilters(saved)).toBe(saved.filters);
    expect(deletedThemeCount(saved)).toBe(0);
  });

  it('filters by the saved themes while they exist', () => {
    const saved = { filters: { yearFrom: 2015, themeIds: [carers.id, falls.id] }, themes: [carers, falls] };
    expect(activeFilters(saved)).toEqual({ yearFrom: 2015, themeIds: [carers.id, falls.id] });
    expect(deletedThemeCount(saved)).toBe(0);
  });

  it('drops a deleted theme from the filter and keeps the rest', () => {
    const saved = { filters: { themeIds: [carers.id, falls.id] }, themes: [falls] };
    expect(activeFilters(saved).themeIds).toEqual([falls.id]);
    expect(deletedThemeCount(saved)).toBe(1);
  });

  it('lets the theme filter fall away, keeping the other filters, once every theme is deleted', () => {
    const saved = { filters: { yearTo: 2024, themeIds: [carers.id] }, themes: [] };
    expect(activeFilters(saved)).toEqual({ yearTo: 2024, themeIds: undefined });
    expect(deletedThemeCount(saved)).toBe(1);
  });
});
