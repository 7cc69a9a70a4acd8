import { expect } from 'vitest';

/**
 * On a page of widened (RM3) results: the records holding the words searched for come before the
 * "Related records" heading, the related ones after it, and each related one carries a Related tag.
 */
export const expectRelatedSection = (html: string, withWord: readonly { title?: string }[], related: readonly { title?: string }[]): void => {
  const heading = html.indexOf('id="related-records"');
  expect(heading).toBeGreaterThan(0);
  for (const fields of withWord) {
    expect(html.indexOf(fields.title ?? '')).toBeLessThan(heading);
  }
  for (const fields of related) {
    expect(html.indexOf(fields.title ?? '')).toBeGreaterThan(heading);
  }
  expect(html.match(/nhsuk-tag--grey">Related</g)).toHaveLength(related.length);
};
