/**
 * The one error class the core throws. Codes are `area.reason`; each edge maps them to its own
 * vocabulary (HTTP status, CLI exit code, page message) in exactly one place.
 * Every code here is documented in docs/errors.md; a unit test keeps the two in step.
 */
export const errorCodes = [
  'auth.unauthenticated',
  'auth.invalid_credentials',
  'auth.rate_limited',
  'auth.forbidden',
  'auth.csrf_failed',
  'auth.token_invalid',
  'auth.password_too_weak',
  'account.email_taken',
  'account.not_found',
  'organisation.not_found',
  'organisation.name_taken',
  'theme.not_found',
  'theme.name_taken',
  'person.not_found',
  'need.not_found',
  'need.invalid_transition',
  'need.merge_target_invalid',
  'need.assignee_not_staff',
  'library.not_found',
  'record.not_found',
  'candidate.not_found',
  'candidate.already_decided',
  'import.unsupported_format',
  'import.unreadable',
  'search.not_found',
  'review.not_found',
  'review.record_not_found',
  'review.not_in_conflict',
  'review.not_at_stage',
  'review.already_screened',
  'review.extraction_conflict',
  'review.cannot_check',
  'briefing.not_found',
  'briefing.invalid_transition',
  'briefing.edit_conflict',
  'followup.not_found',
  'followup.already_answered',
  'followup.expired',
  'impact.not_found',
  'activity.not_found',
  'validation.failed',
  'request.too_large',
  'request.not_found',
  'database.locked',
  'config.invalid',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Field-level problems, keyed by the field's path (`deadlineOn`, `themes.0`). */
export type FieldErrors = Record<string, string>;

export interface AppErrorDetails {
  fields?: FieldErrors;
  [key: string]: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: AppErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throws `AppError(code)` unless the condition holds; narrows the condition's type. */
export function assertThat(condition: unknown, code: ErrorCode, message?: string, details?: AppErrorDetails): asserts condition {
  if (!condition) {
    throw new AppError(code, message ?? code, details);
  }
}

/** Closes exhaustive switches: the compiler proves this is never reached. */
export const assertNever = (value: never): never => {
  throw new Error(`Unexpected value: ${String(value)}`);
};

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
