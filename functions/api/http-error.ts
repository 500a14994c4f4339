/**
 * An error the API answers as it is: its status, message and headers (4xx). Anything else is a
 * 500 with a generic message.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const badRequest = (message: string) => new HttpError(400, 'BAD_REQUEST', message);
export const unauthorized = (headers?: Record<string, string>) =>
  new HttpError(401, 'UNAUTHORIZED', 'Sign in: this route needs a valid bearer token.', headers);
export const forbidden = (message: string) => new HttpError(403, 'FORBIDDEN', message);
export const notFound = (message = 'Not found.') => new HttpError(404, 'NOT_FOUND', message);
export const conflict = (message: string) => new HttpError(409, 'CONFLICT', message);
/**
 * Whole seconds to wait, rounded up and at least 1: `Retry-After` says it and the message repeats
 * the same number, worked out once (a client that reads either waits the same).
 */
export const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));

/** A 429: `what` is why ("Too many runs started"); the wait is added to it and to `Retry-After` alike. */
export const tooManyRequests = (what: string, retryAfterMs: number) => {
  const seconds = retryAfterSeconds(retryAfterMs);
  return new HttpError(429, 'TOO_MANY_REQUESTS', `${what}; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
};

/** How long a client should wait after a 503 (the stores' outage is out of our sight: a short, fixed wait). */
export const UNAVAILABLE_RETRY_MS = 1000;

/** A 503 when the data is out of reach: `Retry-After` and the message agree, as for a 429. */
export const unavailable = () => {
  const seconds = retryAfterSeconds(UNAVAILABLE_RETRY_MS);
  return new HttpError(503, 'UNAVAILABLE', `The service cannot reach its data right now; try again in ${seconds} s.`, {
    'retry-after': String(seconds),
  });
};
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new HttpError(405, 'METHOD_NOT_ALLOWED', `${method.slice(0, 10)} is not allowed here; use ${allowed.join(' or ')}.`, {
    allow: allowed.join(', '),
  });
