import { ApprovalDecisionRefusedError } from '../../shared/approval/errors.ts';
import { GuardUnavailableError } from '../../shared/tool-result/errors.ts';
import type { ApiRequest, ApiResponse } from './api-types.ts';
import { HttpError, methodNotAllowed, notFound, unauthorized } from './http-error.ts';
import { MAX_BODY_BYTES, payloadTooLarge } from './request-body.ts';
import { routes, type ApiDeps } from './routes.ts';

const errorBody = (code: string, message: string) => ({ error: { code, message } });

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
      if (!identity) throw unauthorized();
      return await route.handler({ ...request, identity }, params, deps);
    }
    if (allowed.size > 0) throw methodNotAllowed(request.method, [...allowed]);
    throw notFound(`No route ${request.method} ${request.path.slice(0, 100)}.`);
  } catch (error) {
    if (error instanceof HttpError) {
      return { status: error.status, body: errorBody(error.code, error.message), ...(error.headers ? { headers: error.headers } : {}) };
    }
    if (error instanceof ApprovalDecisionRefusedError)
      return { status: error.status, body: errorBody(error.reason.toUpperCase().replaceAll('-', '_'), error.message) };
    if (error instanceof URIError) return { status: 400, body: errorBody('BAD_REQUEST', 'The path is not valid.') };
    onUnexpected(error);
    if (error instanceof GuardUnavailableError)
      return { status: 503, body: errorBody('UNAVAILABLE', 'The service cannot reach its data right now; try again shortly.') };
    return { status: 500, body: errorBody('INTERNAL', 'Something went wrong on our side.') };
  }
};
