import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/support/parsing.js';
import type { ParseEvent } from '../../core/evidence/record.js';
import { parseCslJson } from './csl-json.js';
import { FormatError } from './format-error.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseCslJson, text, size);

// A Zotero-style export: numbers where strings are expected, particles, a literal name, a raw date.
const zotero = `[
  {
    "id": "http://zotero.org/users/1/items/ABC",
    "type": "article-journal",
    "title": "Reducing falls [a {trial}] with \\"quotes\\" and \\\\ backslash",
    "author": [
      { "family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van" },
      { "literal": "World Health Organization" },
      { "family": "King", "given": "Martin Luther", "suffix": "Jr" },
      { "family": "Plato" }
    ],
    "issued": { "date-parts": [["2014", 3, 1]] },
    "container-title": "BMJ Open",
    "volume": 4, "issue": "3", "page": "296–302",
    "DOI": "https://doi.org/10.1136/BMJOPEN", "PMID": 24598765, "URL": "https://example.org",
    "language": "en-GB", "keyword": "falls; care homes, nursing", "ISSN": ["20446055", "1234-5678"],
    "publisher": "BMJ", "source": "PubMed",
    "note": "Some note\\nPMCID: PMC3948765",
    "abstract": "Para one.\\nPara two."
  },
  { "type": "thesis", "genre": "PhD thesis", "title": "Second", "issued": { "raw": "Spring 2019" }, "keyword": "a, b" }
]`;

describe('parseCslJson', () => {
  it('maps CSL variables to record fields', async () => {
    const [first, second] = await parse(zotero);
    expect(first).toEqual({
      kind: 'record',
      line: 2,
      fields: {
        title: 'Reducing falls [a {trial}] with "quotes" and \\ backslash',
        authors: ['van Beethoven, Ludwig', 'World Health Organization', 'King, Martin Luther, Jr', 'Plato'],
        year: 2014,
        journal: 'BMJ Open',
        volume: '4',
        issue: '3',
        pages: '296-302',
        doi: '10.1136/bmjopen',
        pmid: '24598765',
        pmcid: 'PMC3948765',
        url: 'https://example.org',
        language: 'en-GB',
        keywords: ['falls', 'care homes, nursing'],
        issn: '2044-6055',
        publisher: 'BMJ',
        sourceDatabase: 'PubMed',
        abstract: 'Para one.\nPara two.',
        referenceType: 'article-journal',
        publicationTypes: ['article-journal'],
        meshTerms: [],
      },
    });
    expect(second).toEqual({
      kind: 'record',
      line: 21,
      fields: { title: 'Second', year: 2019, keywords: ['a', 'b'], referenceType: 'thesis', publicationTypes: ['PhD thesis'], authors: [], meshTerms: [] },
    });
  });

  it.each([
    ['a single item', '{"title": "One"}', [1]],
    ['JSON Lines', '{"title": "One"}\n\n{"title": "Two"}\n{"title": "Three"}\n', [1, 3, 4]],
    ['an array on one line', '[{"title": "One"},{"title": "Two"}]', [1, 1]],
    ['an empty array', '[ ]', []],
    ['an empty file', '', []],
  ])('reads %s', async (_name, text, lines) => {
    expect((await parse(text)).map((event) => event.line)).toEqual(lines);
  });

  it('reports items that are not objects or have no title, and keeps going', async () => {
    expect(await parse('[\n"text",\n42,\n{"id": "x", "title": " "},\n{"title": "Fine"}\n]')).toEqual([
      { kind: 'invalid', line: 2, message: 'item is not a JSON object' },
      { kind: 'invalid', line: 3, message: 'item is not a JSON object' },
      { kind: 'invalid', line: 4, message: 'item "x" has no title' },
      { kind: 'record', line: 5, fields: expect.objectContaining({ title: 'Fine' }) },
    ]);
  });

  it.each([
    ['malformed JSON inside an item', '[\n{"title": "A"},\n{\n"title": "B",\n"volume": 4 4\n}\n]', 5],
    ['a missing comma between items', '[\n{"title": "A"}\n{"title": "B"}]', 3],
    ['a trailing comma', '[{"title": "A"},\n]', 2],
    ['an unclosed array', '[\n{"title": "A"}\n', 1],
    ['an unclosed item', '[\n{"title": "A"},\n{"title": "B"\n', 3],
    ['mismatched brackets', '[\n{"title": "A"},\n{"title": "B"\n]\n', 4],
    ['text after the array', '[{"title": "A"}]\n\nmore', 3],
    ['a file that is not JSON', 'TY  - JOUR\n', 1],
  ])('rejects %s with the line', async (_name, text, line) => {
    const failure = parse(text);
    await expect(failure).rejects.toBeInstanceOf(FormatError);
    await expect(failure).rejects.toMatchObject({ line });
  });

  it('gives the same events when fed in 3-character chunks', async () => {
    const jsonLines = '{"title": "A \\"}]\\" b", "author": [{"literal": "{[,"}]}\r\n{"title": "Ü 🙂"}\n';
    for (const text of [zotero, jsonLines]) {
      expect(await parse(text, 3)).toEqual(await parse(text));
    }
  });
});
