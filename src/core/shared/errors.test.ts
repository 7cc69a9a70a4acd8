import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './errors.js';
import { statusFor } from '../../server/errors.js';

const documented = [...readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `([a-z_]+\.[a-z_]+)` \| (\d{3}) \|/gm)].map(
  (match) => ({ code: match[1] ?? '', status: Number(match[2]) }),
);

describe('error catalogue', () => {
  it('documents every code in docs/errors.md, and nothing else', () => {
    expect(documented.map((entry) => entry.code).sort()).toEqual([...errorCodes].sort());
  });

  it.each(documented)('documents the HTTP status the server really uses for $code', ({ code, status }) => {
    expect(statusFor(code as (typeof errorCodes)[number])).toBe(status);
  });
});
