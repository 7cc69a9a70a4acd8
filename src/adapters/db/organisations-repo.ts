import type { DirectoryStore } from '../../core/organisations/ports.js';
import { organisationTypes, type Organisation, type OrganisationType, type Person, type Theme } from '../../core/organisations/types.js';
import type { OrganisationId, PersonId, ThemeId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface OrganisationRow {
  id: string;
  name: string;
  type: string;
  website: string | null;
  created_at: Date;
}

const isOrganisationType = (value: string): value is OrganisationType => (organisationTypes as readonly string[]).includes(value);

const toOrganisation = (row: OrganisationRow): Organisation => {
  if (!isOrganisationType(row.type)) {
    throw new Error(`organisations.type holds an unknown type: ${row.type}`);
  }
  return { id: row.id as OrganisationId, name: row.name, type: row.type, website: row.website ?? undefined, createdAt: row.created_at };
};

const toTheme = (row: { id: string; name: string; description: string }): Theme => ({
  id: row.id as ThemeId,
  name: row.name,
  description: row.description,
});

interface PersonRow {
  id: string;
  name: string;
  email: string | null;
  job_title: string | null;
  organisation_id: string | null;
  user_id: string | null;
  theme_ids: string[];
  expertise: string;
}

const toPerson = (row: PersonRow): Person => ({
  id: row.id as PersonId,
  name: row.name,
  email: row.email ?? undefined,
  jobTitle: row.job_title ?? undefined,
  organisationId: (row.organisation_id ?? undefined) as OrganisationId | undefined,
  userId: (row.user_id ?? undefined) as UserId | undefined,
  themeIds: row.theme_ids as ThemeId[],
  expertise: row.expertise,
});

const personSelect = `
  select p.id, p.name, p.email, p.job_title, p.organisation_id, p.user_id, p.expertise,
         coalesce(array_agg(pt.theme_id::text order by pt.theme_id) filter (where pt.theme_id is not null), '{}') as theme_ids
  from people p left join person_themes pt on pt.person_id = p.id`;

/** Organisations, themes and people in PostgreSQL. */
export const createOrganisationsRepo = (sql: Sql): DirectoryStore => ({
  async listOrganisations() {
    const rows = await sql.query<OrganisationRow>('select id, name, type, website, created_at from organisations order by lower(name)');
    return rows.map(toOrganisation);
  },
  async findOrganisation(id) {
    const [row] = await sql.query<OrganisationRow>('select id, name, type, website, created_at from organisations where id = $1', [id]);
    return row ? toOrganisation(row) : undefined;
  },
  async findOrganisationByName(name) {
    const [row] = await sql.query<OrganisationRow>(
      'select id, name, type, website, created_at from organisations where lower(name) = lower($1)',
      [name],
    );
    return row ? toOrganisation(row) : undefined;
  },
  async insertOrganisation(input) {
    const [row] = await sql.query<OrganisationRow>(
      'insert into organisations (name, type, website) values ($1, $2, $3) returning id, name, type, website, created_at',
      [input.name, input.type, input.website ?? null],
    );
    if (!row) {
      throw new Error('insert into organisations returned no row');
    }
    return toOrganisation(row);
  },
  async listThemes() {
    const rows = await sql.query<{ id: string; name: string; description: string }>('select id, name, description from themes order by lower(name)');
    return rows.map(toTheme);
  },
  async findThemeByName(name) {
    const [row] = await sql.query<{ id: string; name: string; description: string }>(
      'select id, name, description from themes where lower(name) = lower($1)',
      [name],
    );
    return row ? toTheme(row) : undefined;
  },
  async insertTheme(input) {
    const [row] = await sql.query<{ id: string; name: string; description: string }>(
      'insert into themes (name, description) values ($1, $2) returning id, name, description',
      [input.name, input.description],
    );
    if (!row) {
      throw new Error('insert into themes returned no row');
    }
    return toTheme(row);
  },
  async listPeople(filter) {
    const rows = await sql.query<PersonRow>(
      `${personSelect}
       where ($1::uuid is null or p.organisation_id = $1)
         and ($2::uuid is null or exists (select 1 from person_themes f where f.person_id = p.id and f.theme_id = $2))
       group by p.id order by lower(p.name)`,
      [filter.organisationId ?? null, filter.themeId ?? null],
    );
    return rows.map(toPerson);
  },
  async insertPerson(person) {
    return sql.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        'insert into people (name, email, job_title, organisation_id, user_id, expertise) values ($1, $2, $3, $4, $5, $6) returning id',
        [person.name, person.email ?? null, person.jobTitle ?? null, person.organisationId ?? null, person.userId ?? null, person.expertise ?? ''],
      );
      if (!row) {
        throw new Error('insert into people returned no row');
      }
      for (const themeId of person.themeIds) {
        // eslint-disable-next-line no-await-in-loop -- a handful of themes per person, in one transaction
        await tx.query('insert into person_themes (person_id, theme_id) values ($1, $2)', [row.id, themeId]);
      }
      const [created] = await tx.query<PersonRow>(`${personSelect} where p.id = $1 group by p.id`, [row.id]);
      if (!created) {
        throw new Error('inserted person not found');
      }
      return toPerson(created);
    });
  },

  async findPersonByUser(userId) {
    const [row] = await sql.query<PersonRow>(`${personSelect} where p.user_id = $1 group by p.id`, [userId]);
    return row ? toPerson(row) : undefined;
  },
  async updateProfile(personId, profile) {
    return sql.transaction(async (tx) => {
      await tx.query('update people set expertise = $2, updated_at = now() where id = $1', [personId, profile.expertise]);
      await tx.query('delete from person_themes where person_id = $1', [personId]);
      if (profile.themeIds.length > 0) {
        await tx.query('insert into person_themes (person_id, theme_id) select $1, unnest($2::uuid[])', [personId, profile.themeIds]);
      }
      const [row] = await tx.query<PersonRow>(`${personSelect} where p.id = $1 group by p.id`, [personId]);
      if (!row) {
        throw new Error('updated person not found');
      }
      return toPerson(row);
    });
  },
});
