import * as z from 'zod/mini';
import { boundedText } from '../../shared/argument-types/bounded-text.ts';
import { MAX_ITERATIONS_CEILING } from '../../shared/guards/max-iterations.ts';
import { modelScriptSchema } from '../../shared/model/scripted-model.ts';

export const startRunSchema = z.strictObject({
  input: boundedText({ description: 'What the user asks the agent.', max: 10_000, multiline: true }),
  maxIterations: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_ITERATIONS_CEILING))),
  model: z.optional(modelScriptSchema),
});

export const decideApprovalSchema = z.strictObject({
  decision: z.enum(['approve', 'deny']),
  reason: z.optional(boundedText({ description: 'Why, for the audit trail.', max: 500, multiline: true })),
});

const RUN_ID = /^run-[A-Za-z0-9-]{1,80}$/;
/** A loop's call (`<runId>.c<iteration>-<n>`), or one asked for over MCP (`mcp-<session>.mcp-<call hash>`). */
const APPROVAL_ID = /^(run-[A-Za-z0-9-]{1,80}\.c\d{1,3}-\d{1,3}|mcp-[0-9a-f-]{36}\.mcp-[0-9a-f]{32})$/;
export const isRunId = (value: string | undefined): value is string => typeof value === 'string' && RUN_ID.test(value);
export const isApprovalId = (value: string | undefined): value is string => typeof value === 'string' && APPROVAL_ID.test(value);
