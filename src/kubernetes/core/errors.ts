// API server failures turned into messages that name the action, the resource and the context, and
// carry the server's own words (its Status message), never a bare status code.
import { UserFacingError } from '../../shared/errors';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** What was being done, for the message: "list gateways in all namespaces". */
export interface RequestDescription {
  verb: string;
  resource: string;
  context: string;
}

const HINTS: Record<number, string> = {
  401:
    'The credentials of this context were refused; they may have expired. Log in again (or refresh the token) ' +
    'and reload.',
  403:
    'Your user is not allowed to do this; ask for RBAC access or limit the namespace filter to namespaces you ' +
    'can read.',
  404: 'It may have been deleted or renamed meanwhile; refresh.',
  409: 'Someone changed it meanwhile: reload it and apply your change again.',
  410: 'The cached version is too old; the list is being reloaded.',
  422: 'Fix the field named above and apply again.',
};

/** An error answer of the Kubernetes API server, with its Status fields. */
export class KubeApiError extends UserFacingError {
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string,
    readonly serverMessage: string,
    readonly request: RequestDescription,
    readonly causes: StatusCause[] = [],
  ) {
    super(message, `HTTP ${code} ${reason} on ${request.verb} ${request.resource} (context ${request.context})`);
    this.name = 'KubeApiError';
  }
}

/** The API server could not be reached (refused, TLS, timeout) or answered something that is not Kubernetes. */
export class KubeConnectionError extends UserFacingError {
  constructor(message: string, detail?: string) {
    super(message, detail);
    this.name = 'KubeConnectionError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Builds the error from an HTTP status and the (possibly non-JSON) body the server sent. */
export function apiError(code: number, body: unknown, request: RequestDescription): KubeApiError {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
  }
  let reason = '';
  let serverMessage = '';
  let causes: StatusCause[] = [];
  if (isRecord(parsed) && parsed.kind === 'Status') {
    reason = typeof parsed.reason === 'string' ? parsed.reason : '';
    serverMessage = typeof parsed.message === 'string' ? parsed.message : '';
    const details = isRecord(parsed.details) ? parsed.details : {};
    causes = Array.isArray(details.causes)
      ? details.causes.filter(isRecord).map((c) => ({
          reason: String(c.reason ?? ''),
          message: String(c.message ?? ''),
          field: String(c.field ?? ''),
        }))
      : [];
  } else if (typeof parsed === 'string') {
    serverMessage = parsed.trim().slice(0, 300);
  }
  reason ||= defaultReason(code);
  const what = `Cannot ${request.verb} ${request.resource} (context "${request.context}")`;
  const said = serverMessage ? `: ${serverMessage}` : '';
  const hint = HINTS[code] ? ` ${HINTS[code]}` : '';
  return new KubeApiError(`${what}${said} (${code} ${reason}).${hint}`, code, reason, serverMessage, request, causes);
}

function defaultReason(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return `HTTP ${code}`;
  }
}

/** True for the "resource version too old" answers that call for a fresh list. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 410;
}
