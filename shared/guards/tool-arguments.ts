import * as z from 'zod/mini';
import { type AnyTool, describeIssues } from '../tool/index.ts';
import { argumentSize } from './argument-size.ts';
import { allow, deny, type GuardVerdict } from './verdict.ts';

/** Arguments pass when they are small enough and match the tool's strict schema; the parsed value is what the handler gets. */
export const toolArguments = (tool: Pick<AnyTool, 'input'>, args: unknown): GuardVerdict<unknown> => {
  const size = argumentSize(args);
  if (!size.allow) return size;
  const parsed = z.safeParse(tool.input, args);
  return parsed.success ? allow(parsed.data) : deny(describeIssues(parsed.error.issues));
};
