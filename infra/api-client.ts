/** The API answered with an error (its `{ "error": { "code", "message" } }`), or not with JSON. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly status: number;
  /** Seconds, from a 429's Retry-After. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * One JSON request to the HTTP API of DESIGN.md (local or deployed) with a bearer token: the
 * command-line tools' client (`npm run eval`, `npm run usage`).
 */
export const apiRequest = async <T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // Not JSON (a proxy's page): its start is the message.
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiRequestError(
      response.status,
      `${method} ${path} answered ${response.status}: ${message}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return JSON.parse(text) as T;
};
