import { ApprovalDecisionRefusedError } from '../../shared/approval/index.ts';
import { GuardUnavailableError } from '../../shared/tool-result/index.ts';
import type { ApiResponse } from './api-types.ts';
import { HttpError, unavailable } from './http-error.ts';

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** An error as the API answers it: an HttpError's status and message, 503 when data is out of reach, else a generic 500. */
export const errorResponse = (error: unknown, onUnexpected: (error: unknown) => void = () => {}): ApiResponse => {
  if (error instanceof HttpError) {
    return { status: error.status, body: errorBody(error.code, error.message), ...(error.headers ? { headers: error.headers } : {}) };
  }
  if (error instanceof ApprovalDecisionRefusedError)
    return { status: error.status, body: errorBody(error.reason.toUpperCase().replaceAll('-', '_'), error.message) };
  if (error instanceof URIError) return { status: 400, body: errorBody('BAD_REQUEST', 'The path is not valid.') };
  onUnexpected(error);
  if (error instanceof GuardUnavailableError) return errorResponse(unavailable());
  return { status: 500, body: errorBody('INTERNAL', 'Something went wrong on our side.') };
};
