/** The caller as the authorizer established it (Cognito deployed, the users file locally). */
export interface Identity {
  readonly userId: string;
  readonly groups: readonly string[];
  /** The token's other string claims (a tenant claim, for budgets per tenant). */
  readonly claims?: Readonly<Record<string, string>>;
}

/**
 * A request as the routes see it, deployed (from API Gateway's event) and locally (from Node's
 * HTTP server) alike.
 */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, as received (Slack's signature covers the exact bytes). */
  readonly body: string;
  /** Undefined on unauthenticated routes (health, Slack's callback) and when no valid token came. */
  readonly identity: Identity | undefined;
  /** The public base URL the request came to (deployed: the stage's URL; locally: the server's), for links the API hands out. */
  readonly origin?: string;
}

/**
 * A route's answer: its status, body and headers, as API Gateway's proxy integration takes it.
 */
export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  /** Sent as it is instead of `body` as JSON (the MCP transport's own answer, which may be empty). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}
