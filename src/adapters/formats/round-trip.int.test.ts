import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActor } from '../../../test/support/builders.js';
import { openTestServices } from '../../../test/support/server.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { RecordFields } from '../../core/evidence/record.js';
import type { Services } from '../../compose.js';
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
describe.skipIf(!hasFixtures)('export and import again', () => {
  let services: Services;
  let close: () => Promise<void>;
  let fellow: Actor;
  beforeAll(async () => {
    ({ services, close } = await openTestServices());
    fellow = (await buildActor(services, 'fellow')).actor;
    for (const file of filesUnder(formatsDir)) {
      // Files that are not bibliographic (READMEs, deliberately broken samples) are refused; that is tested elsewhere.
      // eslint-disable-next-line no-await-in-loop -- one file after the other, as a fellow would
      await services.importFile(fellow, await openFileSource(file), { skipInvalid: true }).catch(() => undefined);
    }
  }, 120_000);
  afterAll(async () => {
    await close();
  });

  it.each(writers)('adds nothing when the whole library comes back as .%s', async (extension, write) => {
    const { records, total } = await services.evidence.listRecords(fellow, { limit: 10_000, offset: 0 });
    expect(total).toBeGreaterThan(200);
    const text = [...write(records)].join('');
    const source = await sourceFromBytes(`library.${extension}`, Readable.from([Buffer.from(text)]) as AsyncIterable<Uint8Array>);
    const summary = await services.importFile(fellow, source, { skipInvalid: true });
    expect(summary).toMatchObject({ parsed: total, imported: 0, duplicates: total, candidates: 0, errors: [] });
  });
});
