import { assertNever, type ErrorCode } from '../core/shared/errors.js';

/** The one place that maps error codes to HTTP statuses. */
export const statusFor = (code: ErrorCode): 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503 => {
  switch (code) {
    case 'auth.unauthenticated':
    case 'auth.invalid_credentials':
    case 'auth.token_invalid':
      return 401;
    case 'auth.forbidden':
    case 'auth.csrf_failed':
      return 403;
    case 'account.not_found':
    case 'organisation.not_found':
    case 'theme.not_found':
    case 'person.not_found':
    case 'need.not_found':
    case 'request.not_found':
    case 'library.not_found':
    case 'record.not_found':
    case 'candidate.not_found':
    case 'search.not_found':
    case 'review.not_found':
    case 'review.record_not_found':
    case 'followup.not_found':
    case 'impact.not_found':
    case 'activity.not_found':
    case 'briefing.not_found':
      return 404;
    case 'account.email_taken':
    case 'organisation.name_taken':
    case 'theme.name_taken':
    case 'need.invalid_transition':
    case 'candidate.already_decided':
    case 'review.not_in_conflict':
    case 'review.not_at_stage':
    case 'review.already_screened':
    case 'review.extraction_conflict':
    case 'review.cannot_check':
    case 'followup.already_answered':
    case 'followup.expired':
    case 'briefing.invalid_transition':
    case 'briefing.edit_conflict':
      return 409;
    case 'request.too_large':
      return 413;
    case 'validation.failed':
    case 'auth.password_too_weak':
    case 'need.merge_target_invalid':
    case 'need.assignee_not_staff':
    case 'import.unsupported_format':
    case 'import.unreadable':
      return 422;
    case 'auth.rate_limited':
      return 429;
    case 'database.locked':
      return 503;
    case 'config.invalid':
      return 500;
    default:
      return assertNever(code);
  }
};

/** The body of every API error: `{"error":{"code","message","details"}}`. */
export const errorBody = (code: ErrorCode | 'internal', message: string, details?: unknown) => ({
  error: { code, message, details: details ?? {} },
});
