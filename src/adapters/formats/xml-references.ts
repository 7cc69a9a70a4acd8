/**
 * XML entity and character references, for the scanner. PubMed and EndNote use only the five
 * predefined entities and numeric references; their DTDs declare no others, and the scanner
 * reads no DTD, so any other entity is an error, as it is for saxes without a DTD.
 */

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

const predefinedEntities = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Code points a character reference may name (XML 1.0 `Char`). */
const isXmlCharacter = (code: number): boolean =>
  code === TAB ||
  code === NEWLINE ||
  code === CARRIAGE_RETURN ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);

const referencePattern = /&([^;&<]*)(;?)/g;

/** Decodes references; `fail` receives the offset of a bad one within `text`. */
export const decodeReferences = (text: string, fail: (message: string, offset: number) => never): string =>
  text.replace(referencePattern, (_match, body: string, semicolon: string, offset: number) => {
    if (semicolon === '') {
      return fail('"&" must start an entity reference such as &amp;', offset);
    }
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (numeric) {
      const code = numeric[1] === undefined ? Number(numeric[2]) : Number.parseInt(numeric[1], 16);
      return isXmlCharacter(code) ? String.fromCodePoint(code) : fail(`&${body}; is not an XML character`, offset);
    }
    return predefinedEntities.get(body) ?? fail(`undefined entity &${body};`, offset);
  });
