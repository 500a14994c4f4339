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
export const tooManyRequests = (message: string, retryAfterMs: number) =>
  new HttpError(429, 'TOO_MANY_REQUESTS', message, { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) });
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new HttpError(405, 'METHOD_NOT_ALLOWED', `${method.slice(0, 10)} is not allowed here; use ${allowed.join(' or ')}.`, {
    allow: allowed.join(', '),
  });
