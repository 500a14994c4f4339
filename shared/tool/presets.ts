import type { BreakerSettings, ToolLimits } from './define-tool.ts';
import type { RiskClass } from './roles.ts';

/**
 * Default limits by risk class: generous for reads, tight for what cannot be undone. A tool names
 * its preset explicitly (or writes its own), so its limits are visible in its folder.
 *
 * @example
 * defineTool({ name: 'create_ticket', risk: 'write', limits: limitPresets.write, ... });
 */
export const limitPresets: Readonly<Record<RiskClass, ToolLimits>> = {
  read: { perUser: { capacity: 20, refillPerMinute: 30 }, perTool: { capacity: 200, refillPerMinute: 600 } },
  write: { perUser: { capacity: 10, refillPerMinute: 10 }, perTool: { capacity: 100, refillPerMinute: 200 } },
  destructive: { perUser: { capacity: 3, refillPerMinute: 3 }, perTool: { capacity: 30, refillPerMinute: 30 } },
};

/**
 * 5 failures in a minute open the breaker for 30 s.
 *
 * @example
 * defineTool({ name: 'fetch_url', breaker: { ...defaultBreaker, cooldownMs: 60_000 }, ... });
 */
export const defaultBreaker: BreakerSettings = { failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 };
