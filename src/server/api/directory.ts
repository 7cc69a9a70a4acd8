import { z } from 'zod';
import type { OrganisationId, ThemeId } from '../../core/shared/ids.js';
import type { Services } from '../../compose.js';
import { defineRoute } from './define.js';
import {
  idParams,
  meResponse,
  organisationDetailResponse,
  organisationInput,
  organisationResponse,
  peopleQuery,
  personInput,
  personResponse,
  themeInput,
  themeResponse,
} from './schemas.js';

/** `/api/me`, organisations, themes and people. */
export const directoryRoutes = ({ directory }: Services) => [
  defineRoute({
    method: 'get',
    path: '/me',
    summary: 'Who you are signed in as',
    tag: 'me',
    response: meResponse,
    handler: async ({ identity, c }) => ({
      id: identity.user.id,
      email: identity.user.email,
      name: identity.user.name,
      role: identity.user.role,
      organisationId: identity.user.organisationId,
      csrfToken: identity.via === 'session' ? c.get('csrfToken') : undefined,
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/organisations',
    summary: 'List partner organisations',
    tag: 'organisations',
    response: z.array(organisationResponse),
    handler: ({ identity }) => directory.listOrganisations(identity.actor),
  }),
  defineRoute({
    method: 'post',
    path: '/organisations',
    summary: 'Add a partner organisation (staff)',
    tag: 'organisations',
    body: organisationInput,
    response: organisationResponse,
    status: 201,
    handler: ({ identity, body }) => directory.createOrganisation(identity.actor, body),
  }),
  defineRoute({
    method: 'get',
    path: '/organisations/{id}',
    summary: 'An organisation and its people',
    tag: 'organisations',
    params: idParams,
    response: organisationDetailResponse,
    handler: ({ identity, params }) => directory.getOrganisation(identity.actor, params.id as OrganisationId),
  }),
  defineRoute({
    method: 'get',
    path: '/themes',
    summary: 'List research themes',
    tag: 'themes',
    response: z.array(themeResponse),
    handler: ({ identity }) => directory.listThemes(identity.actor),
  }),
  defineRoute({
    method: 'post',
    path: '/themes',
    summary: 'Add a research theme (staff)',
    tag: 'themes',
    body: themeInput,
    response: themeResponse,
    status: 201,
    handler: ({ identity, body }) => directory.createTheme(identity.actor, body),
  }),
  defineRoute({
    method: 'get',
    path: '/people',
    summary: 'People linked to organisations and themes',
    tag: 'organisations',
    query: peopleQuery,
    response: z.array(personResponse),
    handler: ({ identity, query }) =>
      directory.listPeople(identity.actor, {
        ...(query.organisationId ? { organisationId: query.organisationId as OrganisationId } : {}),
        ...(query.themeId ? { themeId: query.themeId as ThemeId } : {}),
      }),
  }),
  defineRoute({
    method: 'post',
    path: '/people',
    summary: 'Add a person (staff)',
    tag: 'organisations',
    body: personInput,
    response: personResponse,
    status: 201,
    handler: ({ identity, body }) =>
      directory.createPerson(identity.actor, {
        name: body.name,
        email: body.email,
        jobTitle: body.jobTitle,
        organisationId: body.organisationId as OrganisationId | undefined,
        userId: undefined,
        themeIds: body.themeIds as ThemeId[],
      }),
  }),
];
