/**
 * MCP authorization (spec 2025-11-25): `/mcp` is an OAuth protected resource (RFC 9728). Its
 * metadata names the authorization server (the Cognito user pool, when the deployment sets up the
 * OAuth flow) and the scope a token needs; a 401 on `/mcp` points at the metadata in its
 * `WWW-Authenticate` header, so a client can discover where to sign in.
 */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/** Where the authorization server is and what scope `/mcp` asks for (GuardedAgent's `mcpOAuth`). Locally: none (local bearer tokens). */
export interface McpAuthorization {
  /** The user pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<poolId>`: its OpenID discovery document lists the endpoints. */
  readonly issuer: string;
  readonly scopes: readonly string[];
}

/** The metadata document of `/mcp` served from `origin` (the public base URL the request came to). */
export const protectedResourceMetadata = (origin: string, authorization: McpAuthorization | undefined) => ({
  resource: `${origin}/mcp`,
  ...(authorization ? { authorization_servers: [authorization.issuer], scopes_supported: [...authorization.scopes] } : {}),
  bearer_methods_supported: ['header'],
  resource_name: 'guarded-agents MCP server',
});

/** The `WWW-Authenticate` challenge of a 401 on `/mcp`: where the metadata is, and the scope to ask for. */
export const mcpChallenge = (origin: string, authorization: McpAuthorization | undefined): string =>
  `Bearer resource_metadata="${origin}${PROTECTED_RESOURCE_PATH}/mcp"${authorization ? `, scope="${authorization.scopes.join(' ')}"` : ''}`;
