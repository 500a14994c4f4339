import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { type BreakerSettings, defineTool, type ToolLimits, type Voucher } from '#shared/tool/index.ts';

export interface TestToolOptions {
  readonly name: string;
  /** @default 'read' */
  readonly risk?: 'read' | 'write' | 'destructive';
  readonly limits?: ToolLimits;
  readonly breaker?: BreakerSettings;
  /** @default 300 */
  readonly timeoutMs?: number;
  /** @default 'internal' (`external`: a sink, for the information-flow tests) */
  readonly reaches?: 'internal' | 'external';
  /** @default 1 */
  readonly quorum?: number;
  /** A sink's arguments and their vouchers (information flow). @default none */
  readonly sinkArguments?: { readonly text: readonly Voucher[] };
  /** @default echoes the text */
  readonly behaviour?: (input: { text: string }) => Promise<unknown>;
}

/** A tool (read unless told) taking `{ text }` that records every execution, so a test can assert what reached a handler. */
export const testTool = (options: TestToolOptions) => {
  const executions: Array<{ text: string }> = [];
  const behaviour = options.behaviour ?? (async (input: { text: string }) => ({ echoed: input.text }));
  const tool = defineTool({
    name: options.name,
    description: 'Echo the given text back for the tests. Returns the echoed text.',
    input: z.strictObject({ text: boundedText({ description: 'Text to echo back, plain words. Max 50 characters.', max: 50 }) }),
    risk: options.risk ?? 'read',
    limits: options.limits ?? { perUser: { capacity: 100, refillPerMinute: 1 }, perTool: { capacity: 1000, refillPerMinute: 1 } },
    timeoutMs: options.timeoutMs ?? 300,
    breaker: options.breaker ?? { failureThreshold: 3, windowMs: 60_000, cooldownMs: 60_000 },
    ...(options.reaches ? { reaches: options.reaches } : {}),
    ...(options.quorum ? { quorum: options.quorum } : {}),
    ...(options.sinkArguments ? { sinkArguments: options.sinkArguments } : {}),
    handler: async (input) => {
      executions.push(input);
      return behaviour(input);
    },
  });
  return { tool, executions };
};
