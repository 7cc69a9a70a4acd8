import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { AppError, type FieldErrors } from '../../core/shared/errors.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { PageContext } from '../../web/page-context.js';
import type { AppEnv } from '../context.js';

export const pageContext = (c: Context<AppEnv>): PageContext => ({
  actor: c.get('identity')?.actor,
  csrfToken: c.get('csrfToken'),
  path: c.req.path,
  alertCount: c.get('alertCount'),
});

export const render = (c: Context<AppEnv>, page: JSX.Element, status: 200 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503 = 200) =>
  c.html(`<!doctype html>${String(page)}`, status);

/** The signed-in actor; pages behind `requireSignIn` always have one. */
export const actorOf = (c: Context<AppEnv>): Actor => {
  const identity = c.get('identity');
  if (!identity) {
    throw new AppError('auth.unauthenticated', 'Sign in to continue');
  }
  return identity.actor;
};

/** Field errors of a failed use case, or undefined when the error is of another kind (then it is rethrown). */
export const fieldErrorsOf = (error: unknown): FieldErrors | undefined =>
  error instanceof AppError && error.details?.fields && Object.keys(error.details.fields).length > 0 ? error.details.fields : undefined;

/** Runs a form's action; on field errors, re-renders the form with what was typed. */
export const handleForm = async <T,>(action: () => Promise<T>, onFieldErrors: (errors: FieldErrors) => Response | Promise<Response>, onSuccess: (result: T) => Response) => {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    const fields = fieldErrorsOf(error);
    if (fields) {
      return onFieldErrors(fields);
    }
    throw error;
  }
  return onSuccess(result);
};
