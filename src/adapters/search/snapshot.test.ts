import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexedDocument } from '../../core/evidence/search.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { InMemoryEvidenceIndex } from './evidence-index.js';
import { loadSnapshot, saveSnapshot, SNAPSHOT_VERSION } from './snapshot.js';

const directories: string[] = [];
afterEach(() => {
  for (const dir of directories.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mobilise-snapshot-'));
  directories.push(dir);
  return join(dir, 'index', 'evidence.snapshot');
};
const document = (number: number): IndexedDocument => ({
  id: `record-${number}` as RecordId,
  libraryId: (number % 2 === 0 ? 'main' : 'review') as LibraryId,
  title: `Falls prevention study ${number} in care homes`,
  abstract: `Residents ${number % 5 === 0 ? 'paediatric anaemia' : 'exercise programmes'} over ${number} weeks.`,
  keywords: number % 3 === 0 ? ['falls', 'ageing'] : [],
  year: 2000 + (number % 20),
  design: number % 4 === 0 ? 'rct' : 'cohort',
  level: number % 4 === 0 ? 2 : 3,
});

describe('index snapshots', () => {
  it('reload an index that answers every query exactly as the original, and remember the change sequence', async () => {
    const original = new InMemoryEvidenceIndex();
    original.upsert(Array.from({ length: 500 }, (_, number) => document(number)));
    original.remove(['record-7' as RecordId]);
    const path = tempPath();
    saveSnapshot(original, path, { xid: '9007199254740993', seq: 1234 });
    const loaded = loadSnapshot(path);
    // A 64-bit transaction id beyond 2^53 survives exactly (it is kept as text).
    expect(loaded?.position).toEqual({ xid: '9007199254740993', seq: 1234 });
    expect(loaded?.index.size()).toBe(499);
    for (const text of ['falls prevention', 'pediatric anemia', 'exercise programs weeks', 'record 7', 'ageing']) {
      for (const filters of [{}, { designs: ['rct' as const] }, { yearFrom: 2010, libraryIds: ['review' as LibraryId] }]) {
        // eslint-disable-next-line no-await-in-loop -- comparing query by query
        const [left, right] = await Promise.all([original.search({ text, limit: 20, filters, explain: true }), loaded?.index.search({ text, limit: 20, filters, explain: true })]);
        expect(right).toEqual(left);
      }
    }
  });

  it('keeps working incrementally after loading: views are copied when a term grows', async () => {
    const original = new InMemoryEvidenceIndex();
    original.upsert(Array.from({ length: 200 }, (_, number) => document(number)));
    const path = tempPath();
    saveSnapshot(original, path, { xid: '1', seq: 1 });
    const loaded = loadSnapshot(path)?.index;
    loaded?.upsert([{ ...document(999), title: 'Befriending for loneliness' }, { ...document(3), title: 'Replaced title about sleep' }]);
    expect((await loaded?.search({ text: 'befriending', limit: 5 }))?.hits.map((hit) => hit.id)).toEqual(['record-999']);
    expect((await loaded?.search({ text: 'sleep', limit: 5 }))?.hits.map((hit) => hit.id)).toEqual(['record-3']);
    expect(loaded?.size()).toBe(201);
    loaded?.remove(['record-3' as RecordId, 'record-10' as RecordId, 'no-such-record' as RecordId]);
    expect(loaded?.size()).toBe(199);
    expect((await loaded?.search({ text: 'sleep', limit: 5 }))?.hits).toEqual([]);
    expect((await loaded?.search({ text: 'study 10', limit: 200 }))?.hits.map((hit) => hit.id)).not.toContain('record-10');
    // The original index is untouched by changes to the loaded one.
    expect((await original.search({ text: 'befriending', limit: 5 })).hits).toEqual([]);
  });

  it('ignores a missing, foreign or outdated file', () => {
    const path = tempPath();
    expect(loadSnapshot(path)).toBeUndefined();
    saveSnapshot(new InMemoryEvidenceIndex(), path, { xid: '0', seq: 0 });
    writeFileSync(path, 'not a snapshot');
    expect(loadSnapshot(path)).toBeUndefined();
  });

  it('streams the same bytes whatever its write buffer, and loads them back to an index that ranks the same', async () => {
    const original = new InMemoryEvidenceIndex();
    original.upsert(Array.from({ length: 300 }, (_, number) => document(number)));
    // A few small changes after a search: some terms' impacts are stale when the snapshot is saved.
    await original.search({ text: 'falls prevention', limit: 5 });
    original.upsert([{ ...document(1000), abstract: 'exercise '.repeat(200) }]);
    original.remove(['record-3' as RecordId, 'record-4' as RecordId]);
    const large = tempPath();
    saveSnapshot(original, large, { xid: '7', seq: 7 });
    const expected = readFileSync(large);
    // Small buffers: postings lists are gathered, written straight through, or both, in every order.
    for (const bufferBytes of [16, 40, 64, 100, 1000, 5000]) {
      const small = tempPath();
      saveSnapshot(original, small, { xid: '7', seq: 7 }, { bufferBytes });
      expect(readFileSync(small).equals(expected), `buffer of ${bufferBytes} bytes`).toBe(true);
    }
    const loaded = loadSnapshot(large)?.index;
    expect(loaded?.size()).toBe(original.size());
    for (const text of ['falls prevention', 'exercise programs', 'paediatric anaemia weeks', 'record 1000']) {
      // eslint-disable-next-line no-await-in-loop -- comparing query by query
      const [left, right] = await Promise.all([original.search({ text, limit: 50, explain: true }), loaded?.search({ text, limit: 50, explain: true })]);
      expect(right).toEqual(left);
    }
  });

  it('rejects a snapshot of another version, a truncated one and a damaged header, so that the index is rebuilt', () => {
    const original = new InMemoryEvidenceIndex();
    original.upsert(Array.from({ length: 50 }, (_, number) => document(number)));
    const path = tempPath();
    saveSnapshot(original, path, { xid: '3', seq: 3 });
    const file = readFileSync(path);
    const headerLength = file.readUInt32LE(8);
    const header = file.toString('utf8', 12, 12 + headerLength);
    expect(JSON.parse(header)).toMatchObject({ version: SNAPSHOT_VERSION });
    // Version 1 (no impacts): same length of header, so only the version differs.
    writeFileSync(path, Buffer.concat([file.subarray(0, 12), Buffer.from(header.replace(`"version":${SNAPSHOT_VERSION}`, '"version":1')), file.subarray(12 + headerLength)]));
    expect(loadSnapshot(path)).toBeUndefined();
    writeFileSync(path, file.subarray(0, file.length - 100));
    expect(loadSnapshot(path)).toBeUndefined();
    writeFileSync(path, Buffer.concat([file.subarray(0, 12), Buffer.from('{'.padEnd(headerLength, ' ')), file.subarray(12 + headerLength)]));
    expect(loadSnapshot(path)).toBeUndefined();
    writeFileSync(path, file);
    expect(loadSnapshot(path)?.position).toEqual({ xid: '3', seq: 3 });
  });
});

