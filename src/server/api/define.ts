import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../core/shared/errors.js';
import type { AppEnv, Identity } from '../context.js';
import { parseWith } from '../validation.js';
import { errorResponse } from './schemas.js';

type Method = 'get' | 'post' | 'patch' | 'delete';
type AnyObject = z.ZodObject;

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** OpenAPI style: `/needs/{id}`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  /** Open routes need no identity (only the OpenAPI document). */
  isOpen?: boolean;
  handler: (input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; identity: Identity; c: Context<AppEnv> }) => Promise<unknown>;
}

// A type-erased spec for the registry; each spec is checked against its own schemas where it is written.
export type AnyRouteSpec = RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>;

/** Keeps a spec's types tied together where it is written. */
export const defineRoute = <P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType>(
  spec: RouteSpec<P, Q, B, R>,
): AnyRouteSpec => spec as unknown as AnyRouteSpec;

const readJson = async (c: Context<AppEnv>): Promise<unknown> => {
  const text = await c.req.text();
  if (text.trim() === '') {
    return {};
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('validation.failed', 'The request body is not valid JSON', { fields: {}, reason: (error as Error).message });
  }
};

/**
 * Registers each spec on the router: identity required unless open; params, query and body parsed
 * with the spec's schemas; in development and tests, responses are checked against the schema too.
 */
export const registerRoutes = (router: Hono<AppEnv>, specs: AnyRouteSpec[], options: { checkResponses: boolean }): void => {
  for (const spec of specs) {
    const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    router[spec.method](honoPath, async (c) => {
      const identity = c.get('identity');
      if (!identity && !spec.isOpen) {
        throw new AppError('auth.unauthenticated', 'Sign in, or send a personal API token as `Authorization: Bearer …`');
      }
      const params = spec.params ? parseWith(spec.params, c.req.param(), 'path') : {};
      const query = spec.query ? parseWith(spec.query, c.req.query(), 'query string') : {};
      const body = spec.body ? parseWith(spec.body, await readJson(c), 'request body') : undefined;
      const result = await spec.handler({ params, query, body, identity: identity as Identity, c });
      // Downloads (exports) answer with their own response; the schema documents their type.
      if (result instanceof Response) {
        return result;
      }
      const json: unknown = JSON.parse(JSON.stringify(result));
      if (options.checkResponses) {
        const checked = spec.response.safeParse(json);
        if (!checked.success) {
          throw new Error(`Response of ${spec.method.toUpperCase()} ${spec.path} does not match its schema: ${checked.error.message}`);
        }
      }
      return c.json(json as object, spec.status ?? 200);
    });
  }
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI 3 document, generated from the same specs that validate requests. */
export const openApiDocument = (specs: AnyRouteSpec[], version: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const parameters = [
      ...Object.entries(spec.params?.shape ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema as z.ZodType, 'input') })),
      ...Object.entries(spec.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType, 'input'),
      })),
    ];
    paths[spec.path] ??= {};
    paths[spec.path] = {
      ...paths[spec.path],
      [spec.method]: {
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.isOpen ? { security: [] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
        responses: {
          [String(spec.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } },
          default: { description: 'Error', content: { 'application/json': { schema: jsonSchema(errorResponse, 'output') } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Mobilise API', version, description: 'Knowledge needs, their dialogue, organisations and themes.' },
    servers: [{ url: '/api' }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token from your account page (mob_…)' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'mobilise_session', description: 'Browser session; writes also need X-CSRF-Token' },
      },
    },
    paths,
  };
};
