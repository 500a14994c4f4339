/** How to reach the Slack Web API: the bot token (sent only to Slack, never logged) and where. */
export interface SlackApiOptions {
  readonly botToken: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default https://slack.com/api */
  readonly apiBase?: string;
}

/**
 * Calls one Slack Web API method. Write methods take JSON; read methods such as `users.info` take a
 * form. Slack answers 200 with `ok: false` for API errors: its error code is safe to report, the
 * request is not.
 */
export const callSlackApi = async (
  options: SlackApiOptions,
  method: string,
  body: Record<string, unknown>,
  encoding: 'json' | 'form' = 'json',
): Promise<Record<string, unknown>> => {
  const doFetch = options.fetch ?? globalThis.fetch;
  const response = await doFetch(`${options.apiBase ?? 'https://slack.com/api'}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
      authorization: `Bearer ${options.botToken}`,
    },
    body:
      encoding === 'json'
        ? JSON.stringify(body)
        : new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || answer.ok !== true)
    throw new Error(`Slack ${method} failed: ${typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`}`);
  return answer;
};
