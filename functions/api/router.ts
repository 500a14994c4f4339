import type { ApiRequest, ApiResponse } from './api-types.ts';
import { errorResponse } from './error-response.ts';
import { methodNotAllowed, notFound, unauthorized } from './http-error.ts';
import { MAX_BODY_BYTES, payloadTooLarge } from './request-body.ts';
import { routes, type ApiDeps } from './routes.ts';
import { mcpChallenge } from './mcp/protected-resource.ts';

/**
 * Every route of DESIGN.md behind one function, deployed behind API Gateway and served locally by
 * the local server. 4xx answers say what was wrong; anything unexpected is a generic 500 (its
 * cause goes to `onUnexpected`, never to the caller).
 */
export const handleApiRequest = async (
  request: ApiRequest,
  deps: ApiDeps,
  onUnexpected: (error: unknown) => void = () => {},
): Promise<ApiResponse> => {
  try {
    if (Buffer.byteLength(request.body) > MAX_BODY_BYTES) throw payloadTooLarge();
    const allowed = new Set<string>();
    for (const route of routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      if (route.method !== request.method) {
        allowed.add(route.method);
        continue;
      }
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      if (!route.authenticated) return await route.handler(request, params, deps);
      const { identity } = request;
      // A client without a token is told where to find how to get one (MCP authorization, RFC 9728).
      if (!identity)
        throw request.path === '/mcp'
          ? unauthorized({ 'www-authenticate': mcpChallenge(request.origin ?? '', deps.mcpAuthorization) })
          : unauthorized();
      return await route.handler({ ...request, identity }, params, deps);
    }
    if (allowed.size > 0) throw methodNotAllowed(request.method, [...allowed]);
    throw notFound(`No route ${request.method} ${request.path.slice(0, 100)}.`);
  } catch (error) {
    return errorResponse(error, onUnexpected);
  }
};
