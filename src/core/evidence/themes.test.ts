import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../accounts/roles.js';
import type { ThemeId, UserId } from '../shared/ids.js';
import { canSetRecordThemes, lookUpThemes, resolveThemes } from './themes.js';
import type { RecordTheme } from './types.js';

const carers: RecordTheme = { id: '0c7c1c7e-0d4e-4b56-9a34-2f0b1b3a0001' as ThemeId, name: 'Carers' };
const falls: RecordTheme = { id: '0c7c1c7e-0d4e-4b56-9a34-2f0b1b3a0002' as ThemeId, name: 'Falls prevention' };

/** The two store methods, over a fixed list; it records which ids reached it. */
const storeOf = (themes: RecordTheme[]) => {
  const asked: string[][] = [];
  return {
    asked,
    findThemes: (ids: readonly ThemeId[]) => {
      asked.push([...ids]);
      // As PostgreSQL compares UUIDs: by value, whatever the case of the hex digits.
      return Promise.resolve(themes.filter((theme) => ids.some((id) => id.toLowerCase() === theme.id)));
    },
    findThemesByName: (names: readonly string[]) => Promise.resolve(themes.filter((theme) => names.some((name) => name.toLowerCase() === theme.name.toLowerCase()))),
  };
};

describe('canSetRecordThemes', () => {
  it.each([
    ['fellow', true],
    ['lead', true],
    ['admin', true],
    ['researcher', false],
    ['contributor', false],
    ['requester', false],
  ] as [Role, boolean][])('lets a %s set themes: %s', (role, expected) => {
    const actor: Actor = { userId: 'u' as UserId, role, organisationId: undefined, name: 'Someone' };
    expect(canSetRecordThemes(actor)).toBe(expected);
  });

  it('does not let the operator without an account set themes through this rule', () => {
    expect(canSetRecordThemes(undefined)).toBe(false);
  });
});

describe('resolveThemes', () => {
  it('returns each theme once and asks nothing for an empty list', async () => {
    const store = storeOf([carers, falls]);
    expect(await resolveThemes(store, [])).toEqual([]);
    expect(store.asked).toEqual([]);
    expect(await resolveThemes(store, [carers.id, carers.id])).toEqual([carers]);
    expect(store.asked).toEqual([[carers.id]]);
  });

  it('names unknown ids, and keeps ids that are not UUIDs away from the database', async () => {
    const store = storeOf([carers]);
    const unknown = '0c7c1c7e-0d4e-4b56-9a34-2f0b1b3a9999' as ThemeId;
    await expect(resolveThemes(store, [carers.id, unknown, 'x; drop table themes' as ThemeId])).rejects.toMatchObject({
      code: 'validation.failed',
      message: `No such theme: ${unknown}, x; drop table themes`,
      details: { fields: { themeIds: 'Choose themes from the list' } },
    });
    expect(store.asked).toEqual([[carers.id, unknown]]);
  });
});

describe('lookUpThemes', () => {
  it.each([
    [['Carers'], [carers], []],
    [['  carers ', 'FALLS PREVENTION'], [carers, falls], []],
    [[falls.id.toUpperCase(), 'Falls prevention'], [falls], []],
    [['Carers', 'Loneliness', ''], [carers], ['Loneliness']],
  ])('finds %j as %j, unknown %j', async (keys, themes, unknown) => {
    expect(await lookUpThemes(storeOf([carers, falls]), keys)).toEqual({ themes, unknown });
  });
});
