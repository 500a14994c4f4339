import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { namedHooks } from '../plumbing/index.ts';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Adds run, call, tool and user ids to every log line of the invocation (only well-formed ones: the envelope is not validated yet). */
export const correlationIds = (logger: Logger, tool: string): MiddlewareObj =>
  namedHooks('correlationIds', {
    before: (request) => {
      const event = (request.event ?? {}) as Record<string, unknown>;
      const caller = (event.caller ?? {}) as Record<string, unknown>;
      const keys: Record<string, string> = { tool };
      for (const [name, value] of [
        ['runId', event.runId],
        ['callId', event.callId],
        ['userId', caller.userId],
      ] as const) {
        if (typeof value === 'string' && SAFE_ID.test(value)) keys[name] = value;
      }
      logger.appendKeys(keys);
    },
  });
