import { randomUUID } from 'node:crypto';
import type { Actor, Role } from '../../src/core/accounts/roles.js';
import type { NeedInput } from '../../src/core/needs/need.schema.js';
import type { NewReviewInput } from '../../src/core/reviews/review.schema.js';
import type { OrganisationType } from '../../src/core/organisations/types.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../../src/core/evidence/record.js';
import { createScryptHasher } from '../../src/adapters/crypto/scrypt-hasher.js';
import type { Services } from '../../src/compose.js';
import type { Database } from '../../src/adapters/db/database.js';
import type { LibraryId } from '../../src/core/shared/ids.js';

/** Cheap scrypt for tests: the same code path, a fraction of the cost. */
export const testHasher = createScryptHasher({ N: 2 ** 10, r: 8, p: 1 });
export const TEST_PASSWORD = 'correct horse battery';

export const unique = (label: string): string => `${label} ${randomUUID().slice(0, 8)}`;

export const buildOrganisation = (services: Services, type: OrganisationType = 'local_authority') =>
  services.directory.createOrganisation(undefined, { name: unique('Organisation'), type });

export const buildTheme = (services: Services) => services.directory.createTheme(undefined, { name: unique('Theme') });

/** Creates an account and returns it as an actor, with its email for signing in. */
export const buildActor = async (services: Services, role: Role, organisationId?: Actor['organisationId']) => {
  const email = `${randomUUID()}@example.test`;
  const user = await services.accounts.createUser(undefined, { email, name: unique(role), role, organisationId, password: TEST_PASSWORD });
  const actor: Actor = { userId: user.id, role: user.role, organisationId: user.organisationId, name: user.name };
  return { actor, email, user };
};

export const needInput = (overrides: Partial<NeedInput> = {}): NeedInput => ({
  title: unique('Falls prevention in care homes'),
  question: 'Which interventions reduce falls among care home residents?',
  decision: 'Whether to fund a falls prevention programme',
  decisionMaker: 'Commissioning board',
  population: 'Care home residents',
  setting: 'Care homes',
  triedSoFar: '',
  urgency: 'soon',
  audiences: ['board'],
  themeIds: [],
  isPublic: false,
  shareWithArcs: false,
  ...overrides,
});

/** A single-screened review's protocol, a title of its own. */
export const reviewInput = (overrides: Partial<NewReviewInput> = {}): NewReviewInput => ({
  title: unique('Home exercise and falls'),
  question: 'Does home exercise prevent falls in older people after hospital discharge?',
  framework: 'pico',
  frameworkFields: {},
  inclusionCriteria: '',
  exclusionCriteria: '',
  exclusionReasons: ['Wrong population', 'Wrong intervention'],
  includeKeywords: [],
  excludeKeywords: [],
  isDual: false,
  isBlind: true,
  model: 'nb',
  randomShare: 0,
  ...overrides,
});

/** A workspace of its own: an organisation with a requester, plus a fellow. */
export const buildWorkspace = async (services: Services) => {
  const organisation = await buildOrganisation(services);
  const requester = await buildActor(services, 'requester', organisation.id);
  const fellow = await buildActor(services, 'fellow');
  return { organisation, requester, fellow };
};

/** Records as a parser would read them from a file, one a line: each over an empty record with no title. */
export async function* recordEvents(records: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of records.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } };
  }
}

/**
 * A library of its own, of the kind a review holds (the main library's search and matching never see
 * it): other test files write to the main library of a shared PostgreSQL database at the same time.
 */
export const buildLibrary = async (db: Database, name: string = unique('Test library')): Promise<LibraryId> => {
  const [row] = await db.query<{ id: string }>("insert into libraries (name, kind) values ($1, 'review') returning id", [name]);
  if (!row) {
    throw new Error('buildLibrary: no library was created');
  }
  return row.id as LibraryId;
};

/** Imports records into the main evidence library, as the system would from a RIS file named `fileName`. */
export const importRecords = (services: Services, fileName: string, ...records: Partial<RecordFields>[]) =>
  services.evidenceImport.importRecords(undefined, { fileName, format: 'ris', events: recordEvents(records), fileSha256: () => 'x' });

/**
 * Records for a widened (RM3) search: `word` is in three of them (`withWord`); two more (`related`)
 * share those records' other words without it, so only the widening finds them; one (`unrelated`)
 * shares nothing.
 */
export const widenedSearchRecords = (word: string) => ({
  withWord: [
    { title: `Loneliness ${word} among older people living alone`, abstract: 'Befriending volunteers telephoned isolated residents every week.', year: 2022 },
    { title: `Social ${word} after bereavement`, abstract: 'Befriending volunteers and peer support groups for isolated widows.', year: 2019 },
    { title: `Befriending volunteers and ${word}`, abstract: 'Isolated residents valued telephone befriending.', year: 2012 },
  ] satisfies Partial<RecordFields>[],
  related: [
    { title: 'Befriending volunteers for isolated carers', abstract: 'Volunteers telephoned carers every week.', year: 2021 },
    { title: 'Training telephone befriending volunteers', abstract: 'A course for volunteers supporting isolated residents.', year: 2018 },
  ] satisfies Partial<RecordFields>[],
  unrelated: { title: 'Hip fractures after falls', abstract: 'Surgery within a day.', year: 2020 } satisfies Partial<RecordFields>,
});
