import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod/mini';
import { toolArguments } from '../guards/index.ts';
import { type AnyTool, describeIssues, toolInvocationSchema, type ToolInvocation } from '../tool/index.ts';
import { UnknownToolError, ValidationFailedError } from '../tool-result/index.ts';
import { namedHooks } from '../plumbing/index.ts';

/**
 * Strict validation, first of the guards: the envelope must be well formed, the tool name must be
 * byte-equal to this function's tool, and the arguments must pass the size caps and the tool's
 * strict schema. The handler then gets the parsed arguments, never the raw ones.
 *
 * @example
 * middy(handler).use(validateCall(lookupOrder)); // a call for another tool, or with unknown keys, never reaches the handler
 */
export const validateCall = (tool: AnyTool): MiddlewareObj<ToolInvocation> =>
  namedHooks('validateCall', {
    before: (request) => {
      const envelope = z.safeParse(toolInvocationSchema, request.event);
      if (!envelope.success) {
        throw new ValidationFailedError(`The call envelope is malformed: ${describeIssues(envelope.error.issues)}`, {
          suggestion: "This is a platform error, not the model's: report it.",
        });
      }
      // Never echo the requested name: it is model output and may be crafted.
      if (envelope.data.tool !== tool.name)
        throw new UnknownToolError(`The requested tool does not exist here; this function serves ${tool.name}.`);
      const args = toolArguments(tool, envelope.data.arguments);
      if (!args.allow) throw new ValidationFailedError(`Invalid arguments for ${tool.name}: ${args.reason}`);
      request.event = { ...envelope.data, arguments: args.value };
    },
  });
