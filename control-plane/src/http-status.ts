import { ERROR_CODES, type ErrorCode } from '@flowforge/connectors-sdk';

/** The HTTP status of an FF_* error outside GraphQL (GraphQL answers 200 with extensions.code). */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'FF_UNAUTHENTICATED':
      return 401;
    case 'FF_FORBIDDEN':
      return 403;
    case 'FF_NOT_FOUND':
      return 404;
    case 'FF_CONFLICT':
      return 409;
    case 'FF_APPROVAL_LINK_USED':
    case 'FF_RESUME_LINK_USED':
      return 410;
    case 'FF_RATE_LIMITED':
      return 429;
    case 'FF_UNAVAILABLE':
      return 503;
    default:
      return ERROR_CODES[code].kind === 'user' ? 400 : 500;
  }
}
