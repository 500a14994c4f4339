/** A JSON request to the agent's HTTP API, as a user's client sends it; a non-2xx answer throws with its status and body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const api = async <T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, `${method} ${path}: ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
};
