import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildLibrary, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { RecordFields } from '../../core/evidence/record.js';
import type { LibraryId } from '../../core/shared/ids.js';
import type { Database } from '../db/database.js';
import { writeBibtex } from './bibtex-writer.js';
import { writeCslJson } from './csl-json-writer.js';
import { writeCsv } from './csv-writer.js';
import { openFileSource, sourceFromBytes } from './file-source.js';
import { writeRis } from './ris-writer.js';

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`Round-trip tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));

const writers: [extension: string, write: (records: Iterable<RecordFields>) => Iterable<string>][] = [
  ['ris', writeRis],
  ['csv', writeCsv],
  ['json', writeCslJson],
  ['bib', writeBibtex],
];

/**
 * The promise the README makes: importing the same records again adds nothing. Every real export in
 * the shared folder goes into one library (including records with no authors, no year or only a
 * title); the library is then written out in each export format and read back.
 */
describe.skipIf(!hasFixtures).each(testDatabases)('export and import again on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  let libraryId: LibraryId;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    fellow = (await buildActor(services, 'fellow')).actor;
    // A library of its own: other test files import into the main library of a shared PostgreSQL database at the same time.
    libraryId = await buildLibrary(db, `Round trip ${randomUUID()}`);
    for (const file of filesUnder(formatsDir)) {
      // Files that are not bibliographic (READMEs, deliberately broken samples) are refused; that is tested elsewhere.
      // eslint-disable-next-line no-await-in-loop -- one file after the other, as a fellow would
      await services.importFile(fellow, await openFileSource(file), { skipInvalid: true, libraryId }).catch(() => undefined);
    }
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });

  it.each(writers)('adds nothing when the whole library comes back as .%s', async (extension, write) => {
    const { records, total } = await services.evidence.listRecords(fellow, { libraryId, limit: 10_000, offset: 0 });
    expect(total).toBeGreaterThan(200);
    const text = [...write(records)].join('');
    const source = await sourceFromBytes(`library.${extension}`, Readable.from([Buffer.from(text)]) as AsyncIterable<Uint8Array>);
    const summary = await services.importFile(fellow, source, { skipInvalid: true, libraryId });
    expect(summary).toMatchObject({ parsed: total, imported: 0, duplicates: total, candidates: 0, errors: [] });
  });
});
