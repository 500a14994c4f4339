import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { redactString } from '../../shared/redaction/index.ts';
import { requestFromApiGateway, responseToApiGateway } from './api-gateway-event.ts';
import type { ApiRequest, ApiResponse } from './api-types.ts';

/**
 * An API function behind API Gateway: the Lambda context in the logs (middy at the edge), the event
 * as the router's request and its answer back; an unexpected error is logged (redacted), never sent.
 */
export const apiGatewayHandler = (
  logger: Logger,
  handle: (request: ApiRequest, onUnexpected: (error: unknown) => void) => Promise<ApiResponse>,
) =>
  middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event) =>
      responseToApiGateway(
        await handle(requestFromApiGateway(event), (error) =>
          logger.error('unexpected error', {
            errorName: error instanceof Error ? error.name : 'Error',
            errorMessage: redactString(error instanceof Error ? error.message : String(error)),
          }),
        ),
      ),
    );
