import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { groupsFromClaim, requestFromApiGateway, responseToApiGateway } from '#functions/api/api-gateway-event.ts';

// The shape API Gateway (REST) sends with a Cognito user pool authorizer, trimmed to what is read.
const event = (claims: Record<string, unknown> | undefined, body: string | null = '{"input":"hi","groups":["admin"]}') =>
  ({
    httpMethod: 'POST',
    path: '/runs',
    headers: { 'Content-Type': 'application/json', 'X-Slack-Signature': 'v0=abc' },
    queryStringParameters: null,
    body,
    isBase64Encoded: false,
    requestContext: { authorizer: claims ? { claims } : undefined },
  }) as unknown as APIGatewayProxyEvent;

describe('API Gateway adapter', () => {
  it('takes the identity from the authorizer claims only, never from the body', () => {
    const request = requestFromApiGateway(
      event({ sub: 'user-123', 'cognito:groups': 'operator,approver', 'custom:tenant': 'acme', auth_time: 1_700_000_000 }),
    );
    // The string claims ride along (a tenant claim, for budgets per tenant); others are left out.
    expect(request.identity).toEqual({
      userId: 'user-123',
      groups: ['operator', 'approver'],
      claims: { sub: 'user-123', 'cognito:groups': 'operator,approver', 'custom:tenant': 'acme' },
    });
    expect(request.headers['x-slack-signature']).toBe('v0=abc');
    expect(requestFromApiGateway(event(undefined)).identity).toBeUndefined();
  });
  it('reads both shapes of the groups claim', () => {
    expect(groupsFromClaim('[admin approver]')).toEqual(['admin', 'approver']);
    expect(groupsFromClaim('user')).toEqual(['user']);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
  it('answers JSON that is never cached', () => {
    expect(responseToApiGateway({ status: 202, body: { runId: 'r' } })).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: '{"runId":"r"}',
    });
  });
});
