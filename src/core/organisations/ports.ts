import type { OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import type { Organisation, OrganisationType, Person, Theme } from './types.js';

export interface NewPerson {
  name: string;
  email: string | undefined;
  jobTitle: string | undefined;
  organisationId: OrganisationId | undefined;
  userId: UserId | undefined;
  themeIds: ThemeId[];
  expertise?: string;
}

/** Partner organisations, research themes and the people linked to them. */
export interface DirectoryStore {
  listOrganisations(): Promise<Organisation[]>;
  findOrganisation(id: OrganisationId): Promise<Organisation | undefined>;
  findOrganisationByName(name: string): Promise<Organisation | undefined>;
  insertOrganisation(input: { name: string; type: OrganisationType; website: string | undefined }): Promise<Organisation>;
  listThemes(): Promise<Theme[]>;
  findThemeByName(name: string): Promise<Theme | undefined>;
  insertTheme(input: { name: string; description: string }): Promise<Theme>;
  listPeople(filter: { organisationId?: OrganisationId; themeId?: ThemeId }): Promise<Person[]>;
  insertPerson(person: NewPerson): Promise<Person>;
  findPersonByUser(userId: UserId): Promise<Person | undefined>;
  /** Replaces a person's expertise and themes. */
  updateProfile(personId: Person['id'], profile: { expertise: string; themeIds: ThemeId[] }): Promise<Person>;
}
