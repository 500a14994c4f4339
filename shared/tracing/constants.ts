/** The instrumentation scope of every span this package makes. */
export const TRACER_NAME = 'guarded-agents';

/**
 * Span names, as the OpenTelemetry GenAI semantic conventions name them (`{operation} {target}`),
 * and the guards' own beneath a tool call.
 */
export const SpanName = {
  invokeAgent: 'invoke_agent',
  /** A model call's span. */
  chat: (model: string) => `chat ${model}`,
  /** A tool call's span. */
  executeTool: (tool: string) => `execute_tool ${tool}`,
  /** A guard's span. */
  guard: (guard: string) => `guard ${guard}`,
  approvalWait: 'approval_wait',
} as const;

/** This package's own attributes, beside the conventions' `gen_ai.*`. */
export const Attr = {
  RUN_ID: 'guarded_agents.run.id',
  RUN_STATUS: 'guarded_agents.run.status',
  RUN_ITERATIONS: 'guarded_agents.run.iterations',
  TOOL_RISK: 'guarded_agents.tool.risk_class',
  /** executed, refused (a guard or the screening said no), failed (the handler did), replayed. */
  TOOL_OUTCOME: 'guarded_agents.tool.outcome',
  /** Which guard refused a call: `screening`, `validation`, `role`, `approval`, `idempotency`, `rate-limit`, `breaker`. */
  REFUSED_BY: 'guarded_agents.guard.refused_by',
  /** What a guard decided: pass, refuse, answer (an idempotent replay), not_reached (an earlier guard refused). */
  GUARD_DECISION: 'guarded_agents.guard.decision',
  APPROVAL_ID: 'guarded_agents.approval.id',
  APPROVAL_DECISION: 'guarded_agents.approval.decision',
  APPROVER: 'guarded_agents.approval.approver_pseudo_id',
  /** The policy set that decided a call (its hash), what it decided, and by which policies. */
  POLICY_SET: 'guarded_agents.policy.set',
  POLICY_EFFECT: 'guarded_agents.policy.effect',
  POLICY_DECIDING: 'guarded_agents.policy.deciding',
  /** What shadow policies would have decided: `<id>:<effect>` each, recorded, never enforced. */
  POLICY_SHADOW: 'guarded_agents.policy.shadow',
} as const;

/** What a guard decided, on its span. */
export const GuardDecision = {
  PASS: 'pass',
  REFUSE: 'refuse',
  ANSWER: 'answer',
  NOT_REACHED: 'not_reached',
} as const;

/**
 * Opt-in to prompts, answers, arguments and results in spans (the variable the OpenTelemetry GenAI
 * instrumentations read). Off by default: spans go to other systems with other readers.
 */
export const CAPTURE_CONTENT_ENV = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';
