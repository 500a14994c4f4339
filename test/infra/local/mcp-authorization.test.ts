import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { describe, expect, it } from 'vitest';
import { handleApiRequest } from '#functions/api/router.ts';
import { useLocalServer } from '../../support/local-server.ts';

// MCP authorization (spec 2025-11-25, RFC 9728): /mcp says where its protected-resource metadata is
// on a 401, and the metadata says what it is and, deployed with mcpOAuth, which authorization
// server (the user pool) issues its tokens. Read with the official SDK's own discovery functions.
const world = useLocalServer();

describe('MCP authorization: protected-resource metadata', () => {
  it('answers a request without a token 401 with a challenge naming the metadata, which the SDK discovers and reads', async () => {
    const response = await fetch(`${world.base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    const { resourceMetadataUrl } = extractWWWAuthenticateParams(response);
    expect(resourceMetadataUrl?.href).toBe(`${world.base}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await discoverOAuthProtectedResourceMetadata(new URL(`${world.base}/mcp`), { resourceMetadataUrl });
    // Locally there is no authorization server: the local bearer tokens stand in for Cognito's.
    expect(metadata).toEqual({
      resource: `${world.base}/mcp`,
      bearer_methods_supported: ['header'],
      resource_name: 'guarded-agents MCP server',
    });
    // The path-inserted well-known form (the SDK's fallback without a header) answers the same.
    expect(await discoverOAuthProtectedResourceMetadata(new URL(`${world.base}/mcp`))).toEqual(metadata);
  });

  it('deployed with mcpOAuth, names the user pool as the authorization server and the scope to ask for', async () => {
    const deps = {
      ...world.system.deps,
      mcpAuthorization: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc', scopes: ['guarded-agents/mcp'] },
    };
    const origin = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
    const request = { method: 'GET', query: {}, headers: {}, body: '', identity: undefined, origin };
    expect((await handleApiRequest({ ...request, path: '/.well-known/oauth-protected-resource/mcp' }, deps)).body).toEqual({
      resource: `${origin}/mcp`,
      authorization_servers: ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc'],
      scopes_supported: ['guarded-agents/mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'guarded-agents MCP server',
    });
    const unauthorized = await handleApiRequest({ ...request, method: 'POST', path: '/mcp' }, deps);
    expect(unauthorized).toMatchObject({
      status: 401,
      headers: {
        'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="guarded-agents/mcp"`,
      },
    });
    // Other routes' 401s carry no MCP challenge.
    expect((await handleApiRequest({ ...request, path: '/runs' }, deps)).headers).toBeUndefined();
  });
});
