import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabelledDataset } from './labelled-dataset.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/screening/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mobilise-screening-data-'));
const write = (name: string, text: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readLabelledDataset', () => {
  it('reads an ASReview-style CSV with label_included', async () => {
    const data = await readLabelledDataset(join(fixtures, 'labelled.csv'));
    expect(data.format).toBe('csv');
    expect(data.records).toHaveLength(12);
    expect(data.records.filter((record) => record.isIncluded)).toHaveLength(4);
    expect(data.records[1]).toEqual({
      title: 'Statin therapy and cardiovascular events in older adults',
      abstract: 'A randomised trial of statin therapy for prevention of cardiovascular events and myocardial infarction in older adults.',
      isIncluded: true,
    });
  });

  it('reads the same records from RIS with ASReview’s label notes', async () => {
    const csv = await readLabelledDataset(join(fixtures, 'labelled.csv'));
    const ris = await readLabelledDataset(join(fixtures, 'labelled.ris'));
    expect(ris.format).toBe('ris');
    expect(ris.records).toEqual(csv.records);
  });

  it('takes `included` and true/false, and a quoted abstract across lines', async () => {
    const path = write('included.csv', 'Title,Abstract,Included\n"A","line one\nline two",true\n"B","",0\n');
    expect((await readLabelledDataset(path)).records).toEqual([
      { title: 'A', abstract: 'line one\nline two', isIncluded: true },
      { title: 'B', abstract: '', isIncluded: false },
    ]);
  });

  it('reads a title our CSV export guarded against spreadsheet formulas as it was written', async () => {
    const path = write('guarded.csv', "title,abstract,label_included\n'=SUM(A1) in care homes,'-2 points on the scale,1\n'Tis the season,plain,0\n");
    expect((await readLabelledDataset(path)).records).toEqual([
      { title: '=SUM(A1) in care homes', abstract: '-2 points on the scale', isIncluded: true },
      // A leading quote that guards nothing is part of the text.
      { title: "'Tis the season", abstract: 'plain', isIncluded: false },
    ]);
  });

  it('names the file and the columns it found when there is no label column', async () => {
    const path = join(fixtures, 'no-label-column.csv');
    await expect(readLabelledDataset(path)).rejects.toThrow(`${path}: line 1: no label column; a labelled dataset needs "label_included" or "included" (0 or 1), found: title, abstract, year`);
  });

  it('names the file, line and field of a bad label', async () => {
    const path = join(fixtures, 'bad-label.csv');
    await expect(readLabelledDataset(path)).rejects.toThrow(`${path}: line 3, field "included": "maybe" is not a label; use 1 (included) or 0 (excluded)`);
    const empty = write('empty-label.csv', 'title,abstract,label_included\r\nA,"one\r\ntwo",1\r\n\r\nB,,\r\n');
    await expect(readLabelledDataset(empty)).rejects.toThrow(/line 5, field "label_included": empty is not a label/);
  });

  it('names the line of a row that breaks the CSV', async () => {
    const path = write('broken.csv', 'title,abstract,included\nA,x,1\nB,x,0,extra\n');
    await expect(readLabelledDataset(path)).rejects.toThrow(/broken\.csv: line 3: /);
  });

  it('names the line of a RIS record without a label', async () => {
    const path = join(fixtures, 'unlabelled.ris');
    await expect(readLabelledDataset(path)).rejects.toThrow(`${path}: line 7, field N1: the record has no label`);
  });

  it('says when the file cannot be read or has no records', async () => {
    await expect(readLabelledDataset(join(scratch, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read the file/);
    await expect(readLabelledDataset(write('header-only.csv', 'title,abstract,included\n'))).rejects.toThrow(/header-only\.csv: no records/);
  });
});
