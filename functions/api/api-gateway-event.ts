import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse, Identity } from './api-types.ts';

/**
 * Cognito's groups claim reaches a REST API authorizer as one string: "a,b" or "[a b]". Only the
 * token decides the groups: nothing in the request body or query can add one.
 */
export const groupsFromClaim = (claim: unknown): string[] =>
  typeof claim === 'string'
    ? claim
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/)
        .filter(Boolean)
    : Array.isArray(claim)
      ? claim.filter((g): g is string => typeof g === 'string')
      : [];

/** The API Gateway (REST, Cognito authorizer) event as the router's request. */
export const requestFromApiGateway = (event: APIGatewayProxyEvent): ApiRequest => {
  const claims = (event.requestContext?.authorizer?.claims ?? {}) as Record<string, unknown>;
  const strings = Object.fromEntries(Object.entries(claims).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const identity: Identity | undefined =
    typeof claims.sub === 'string' ? { userId: claims.sub, groups: groupsFromClaim(claims['cognito:groups']), claims: strings } : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  const body = event.body ?? '';
  const { domainName, stage } = event.requestContext ?? {};
  return {
    method: event.httpMethod,
    path: event.path,
    query: event.queryStringParameters ?? {},
    headers,
    body: event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    identity,
    // The stage's own URL (API Gateway's domain and stage, never a header the caller sets).
    ...(domainName && stage ? { origin: `https://${domainName}/${stage}` } : {}),
  };
};

export const responseToApiGateway = (response: ApiResponse): APIGatewayProxyResult => ({
  statusCode: response.status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...response.headers },
  body: response.rawBody ?? JSON.stringify(response.body),
});
