import { AppError, assertThat } from '../shared/errors.js';
import type { OrganisationId, ThemeId } from '../shared/ids.js';
import { canManageDirectory, isStaff, type Actor, type Role } from '../accounts/roles.js';
import type { DirectoryStore, NewPerson } from './ports.js';
import type { Organisation, OrganisationType, Person, Theme } from './types.js';

export interface DirectoryDeps {
  store: DirectoryStore;
}

/**
 * People's email addresses are for staff (fellows, leads and administrators: `isStaff`), who contact
 * partners on a need's behalf. Requesters, researchers and public contributors see names, job titles,
 * organisations, themes and expertise, but not how to email someone.
 */
export const canReadEmails = (role: Role): boolean => isStaff(role);

/** A person as `actor` may see them: without the email address unless `canReadEmails`. */
export const personAsSeenBy = (actor: Actor, person: Person): Person => (canReadEmails(actor.role) ? person : { ...person, email: undefined });

/**
 * Use cases for organisations, themes and people. Anyone signed in may read the directory; people's
 * email addresses only staff (`personAsSeenBy`).
 */
export const createDirectory = ({ store }: DirectoryDeps) => {
  const listOrganisations = (_actor: Actor): Promise<Organisation[]> => store.listOrganisations();

  const getOrganisation = async (actor: Actor, id: OrganisationId) => {
    const organisation = await store.findOrganisation(id);
    assertThat(organisation, 'organisation.not_found', 'No such organisation');
    const people = await store.listPeople({ organisationId: id });
    return { organisation, people: people.map((person) => personAsSeenBy(actor, person)) };
  };

  const createOrganisation = async (
    actor: Actor | undefined,
    input: { name: string; type: OrganisationType; website?: string | undefined },
  ): Promise<Organisation> => {
    if (actor) {
      assertThat(canManageDirectory(actor.role), 'auth.forbidden', 'Only staff add organisations');
    }
    const name = input.name.trim();
    if (await store.findOrganisationByName(name)) {
      throw new AppError('organisation.name_taken', `An organisation called "${name}" already exists`, {
        fields: { name: 'An organisation with this name already exists' },
      });
    }
    return store.insertOrganisation({ name, type: input.type, website: input.website });
  };

  const listThemes = (_actor: Actor): Promise<Theme[]> => store.listThemes();

  const createTheme = async (actor: Actor | undefined, input: { name: string; description?: string }): Promise<Theme> => {
    if (actor) {
      assertThat(canManageDirectory(actor.role), 'auth.forbidden', 'Only staff add themes');
    }
    const name = input.name.trim();
    if (await store.findThemeByName(name)) {
      throw new AppError('theme.name_taken', `A theme called "${name}" already exists`, {
        fields: { name: 'A theme with this name already exists' },
      });
    }
    return store.insertTheme({ name, description: input.description?.trim() ?? '' });
  };

  const listPeople = async (actor: Actor, filter: { organisationId?: OrganisationId; themeId?: ThemeId } = {}): Promise<Person[]> =>
    (await store.listPeople(filter)).map((person) => personAsSeenBy(actor, person));

  const createPerson = async (actor: Actor | undefined, input: NewPerson): Promise<Person> => {
    if (actor) {
      assertThat(canManageDirectory(actor.role), 'auth.forbidden', 'Only staff add people');
    }
    if (input.organisationId) {
      assertThat(await store.findOrganisation(input.organisationId), 'organisation.not_found', 'No such organisation');
    }
    // Unknown themes would fail the foreign key as a 500, and a repeated one the primary key.
    const themeIds = [...new Set(input.themeIds)];
    if (themeIds.length > 0) {
      const known = new Set<string>((await store.listThemes()).map((theme) => theme.id));
      if (themeIds.some((id) => !known.has(id))) {
        throw new AppError('validation.failed', 'Some themes do not exist', { fields: { themeIds: 'Choose themes from the list' } });
      }
    }
    return store.insertPerson({ ...input, themeIds });
  };

  /** For operators' tools, which name organisations rather than pass ids. */
  const findOrganisationByName = (name: string): Promise<Organisation | undefined> => store.findOrganisationByName(name.trim());

  /** A person's own expertise profile (the person linked to the actor's account). */
  const getMyProfile = async (actor: Actor): Promise<Person | undefined> => store.findPersonByUser(actor.userId);

  const updateMyProfile = async (actor: Actor, input: { expertise: string; themeIds: ThemeId[] }): Promise<Person> => {
    const person = await store.findPersonByUser(actor.userId);
    assertThat(person, 'person.not_found', 'Your account has no person record');
    const themeIds = [...new Set(input.themeIds)];
    const known = new Set((await store.listThemes()).map((theme) => theme.id as string));
    if (themeIds.some((id) => !known.has(id))) {
      throw new AppError('validation.failed', 'Unknown theme', { fields: { themeIds: 'Choose themes from the list' } });
    }
    return store.updateProfile(person.id, { expertise: input.expertise.trim(), themeIds });
  };

  return { getMyProfile, updateMyProfile, findOrganisationByName, listOrganisations, getOrganisation, createOrganisation, listThemes, createTheme, listPeople, createPerson };
};

export type Directory = ReturnType<typeof createDirectory>;
