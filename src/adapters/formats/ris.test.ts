import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/support/parsing.js';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { parseRis } from './ris.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseRis, text, size);

const parseOne = async (text: string): Promise<RecordFields> => {
  const [event, ...rest] = await parse(text);
  expect(rest).toEqual([]);
  if (event?.kind !== 'record') {
    throw new Error(`expected one record, got ${JSON.stringify(event)}`);
  }
  return event.fields;
};

const ris = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

describe('parseRis', () => {
  it('reads the tag spellings of different exporters: two spaces, one space, tabs, empty values, bare ER', async () => {
    const fields = await parseOne(
      ris('TY  - JOUR', 'TI  - A title', 'A1\t- Marx, Karl', 'AU - Lindgren,Astrid', 'ID \t- 7', 'SP  -', 'IS  - ', 'PY  - 2014//', 'ER  -'),
    );
    expect(fields).toEqual({
      title: 'A title',
      authors: ['Marx, Karl', 'Lindgren, Astrid'],
      year: 2014,
      publicationTypes: ['Journal Article'],
      keywords: [],
      meshTerms: [],
      referenceType: 'JOUR',
    });
  });

  it('continues a field on untagged lines: titles fold, abstracts keep paragraphs, each keyword line is a keyword', async () => {
    const fields = await parseOne(
      ris('TY  - JOUR', 'TI  - A long', '      wrapped title', 'AB  - First paragraph.', '', 'Second paragraph.', 'KW  - Humans', 'Joint Commission', 'ER then this is not an end', 'ER  - '),
    );
    expect(fields.title).toBe('A long wrapped title');
    expect(fields.abstract).toBe('First paragraph.\nSecond paragraph.');
    expect(fields.keywords).toEqual(['Humans', 'Joint Commission', 'ER then this is not an end']);
  });

  it('skips numbering and headers between records, and treats a record cut off at the end of the file as a record', async () => {
    const events = await parse(ris('Record #1 of 2', 'Provider: Provider', '1.', 'TY  - JOUR', 'TI  - One', 'ER  - ', '', '2.', 'TY  - JOUR', 'TI  - Two'));
    expect(events).toEqual([
      { kind: 'record', line: 4, fields: expect.objectContaining({ title: 'One' }) },
      { kind: 'record', line: 9, fields: expect.objectContaining({ title: 'Two' }) },
    ]);
  });

  it('starts a new record at a TY after fields when the ER was lost, but merges a run of TY lines', async () => {
    const events = await parse(ris('TY  - BOOK', 'TY  - JOUR', 'TI  - One', 'TY  - JOUR', 'TI  - Two', 'ER  - '));
    expect(events.map((event) => [event.line, event.kind === 'record' ? event.fields.referenceType : event.message])).toEqual([
      [1, 'JOUR'],
      [4, 'JOUR'],
    ]);
  });

  it('reports a record without a title as invalid at its TY line and carries on', async () => {
    const events = await parse(ris('TY  - JOUR', 'TI  - Kept', 'ER  - ', '', 'TY  - JOUR', 'AB  - No title here', 'TI  - ', 'ER  - ', 'TY  - GEN', 'TI  - Also kept', 'ER  - '));
    expect(events).toEqual([
      { kind: 'record', line: 1, fields: expect.objectContaining({ title: 'Kept' }) },
      { kind: 'invalid', line: 5, message: 'record has no title' },
      { kind: 'record', line: 9, fields: expect.objectContaining({ title: 'Also kept' }) },
    ]);
  });

  it('ignores tags after ER such as Ovid NL lines, but reports a titled block that lost its TY', async () => {
    const events = await parse(ris('TY  - JOUR', 'TI  - One', 'ER  -', 'NL  - Clin Psychol', '', 'Link to the Ovid Full Text', '', 'T1  - Orphan', 'AU  - Someone', 'ER  -'));
    expect(events).toEqual([
      { kind: 'record', line: 1, fields: expect.objectContaining({ title: 'One' }) },
      { kind: 'invalid', line: 8, message: 'record has no TY line' },
    ]);
  });

  it('throws FormatError naming the line when tags come before any TY', async () => {
    const error = await parse(ris('', 'JF  - Empirical Software Engineering', 'T1  - Editorial', 'ER  -')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ line: 2, message: expect.stringContaining('line 2: "JF" comes before any TY line') });
  });

  it('throws FormatError at the first text line when there is no TY at all, and yields nothing for an empty file', async () => {
    await expect(parse('\n\nFN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n')).rejects.toMatchObject({ name: 'FormatError', line: 3 });
    await expect(parse('')).resolves.toEqual([]);
    await expect(parse('\r\n\r\n')).resolves.toEqual([]);
  });

  it('finds PMIDs where each exporter puts them, and only there', async () => {
    const pmidOf = async (...lines: string[]) => (await parseOne(ris('TY  - JOUR', 'TI  - T', ...lines, 'ER  - '))).pmid;
    expect(await pmidOf('DB  - Ovid MEDLINE(R)', 'AN  - 31234567')).toBe('31234567');
    expect(await pmidOf('DP  - NLM', 'AN  - 21553931')).toBe('21553931');
    expect(await pmidOf('DB  - CINAHL', 'AN  - 104563293')).toBeUndefined();
    expect(await pmidOf('U1  - 23690738[pmid]')).toBe('23690738');
    expect(await pmidOf('DB  - Embase', 'DB  - Medline', 'C5  - 15368318')).toBe('15368318');
    expect(await pmidOf('DB  - Scopus', 'C2  - 31421429', 'C7  - 104501')).toBe('31421429');
    expect(await pmidOf('C2  - 31421429')).toBeUndefined();
    expect(await pmidOf('L2  - http://www.ncbi.nlm.nih.gov/pubmed/22752652', 'L2  - https://pubmed.ncbi.nlm.nih.gov/22752652/')).toBe('22752652');
    expect(await pmidOf('AN  - WOS:000444108200009')).toBeUndefined();
  });

  it('takes the DOI from DO in any spelling, and from other fields only when the whole value is a DOI', async () => {
    const doiOf = async (...lines: string[]) => (await parseOne(ris('TY  - JOUR', 'TI  - T', ...lines, 'ER  - '))).doi;
    expect(await doiOf('DO  - http://dx.doi.org/10.1002/CPP.2398')).toBe('10.1002/cpp.2398');
    expect(await doiOf('DO  - doi:10.1201/b19107-2')).toBe('10.1201/b19107-2');
    expect(await doiOf('L2  - http://dx.doi.org/10.1002/jts.22387')).toBe('10.1002/jts.22387');
    expect(await doiOf('N1  - doi: 10.1063/1.1954747')).toBe('10.1063/1.1954747');
    expect(await doiOf('M3  - 10.1016/j.powtec.2012.01.008')).toBe('10.1016/j.powtec.2012.01.008');
    expect(await doiOf('UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&doi=10.1016%2fj.x&partnerID=40')).toBeUndefined();
    expect(await doiOf('N1  - References: Smith (2001) doi:10.1000/cited')).toBeUndefined();
  });

  it('takes publication types from M3 unless it holds a DOI or a PsycINFO class, else from TY', async () => {
    const typesOf = async (...lines: string[]) => (await parseOne(ris(...lines, 'TI  - T', 'ER  - '))).publicationTypes;
    expect(await typesOf('TY  - JOUR', 'M3  - Review')).toEqual(['Review']);
    expect(await typesOf('TY  - JOUR', 'M3  - Health Psychology & Medicine [3360]')).toEqual(['Journal Article']);
    expect(await typesOf('TY  - CHAP', 'M3  - doi: 10.1/x')).toEqual(['Book Section']);
    expect(await typesOf('TY  - Journal Article')).toEqual(['Journal Article']);
    expect(await typesOf('TY  - GEN')).toEqual([]);
  });

  it('reads ASReview labels from notes, with or without Zotero markup', async () => {
    const labelOf = async (...notes: string[]) => (await parseOne(ris('TY  - GEN', 'TI  - T', ...notes.map((note) => `N1  - ${note}`), 'ER  -'))).label;
    expect(await labelOf('Additional notes 0', 'ASReview_relevant')).toBe(true);
    expect(await labelOf('<p>ASReview_irrelevant</p>')).toBe(false);
    expect(await labelOf('Notes 1. ASReview_irrelevant. Notes 2.')).toBe(false);
    expect(await labelOf('ASReview_not_seen')).toBeUndefined();
  });

  it('drops Ovid placeholders and keeps the first ISSN, journal and URL in their preferred tags', async () => {
    const fields = await parseOne(
      ris('TY  - JOUR', 'TI  - T', 'SP  - No', 'EP  - Specified', 'J2  - J Abbr', 'T2  - Journal Full', 'SN  - 03064530 (ISSN)', 'SN  - 978-1-4822-5326-9', 'UR  - http://example.com; http://www.example.com', 'ER  -'),
    );
    expect(fields).toMatchObject({ journal: 'Journal Full', issn: '0306-4530', url: 'http://example.com' });
    expect(fields.pages).toBeUndefined();
  });

  it('yields the same events whatever the chunk size', async () => {
    const text = `\uFEFF${ris('1.', 'TY  - JOUR', 'TI  - Straße – ω', 'AB  - One', '', 'Two', 'ER  - ', '', 'TY  - JOUR', 'AU  - No, Title', 'ER  - ', 'TY  - JOUR', 'TI  - End without ER')}`;
    const whole = await parse(text);
    expect(whole.map((event) => event.kind)).toEqual(['record', 'invalid', 'record']);
    for (const size of [1, 2, 3, 7, 64]) {
      expect(await parse(text, size)).toEqual(whole);
    }
  });
});
