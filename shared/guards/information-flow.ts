import type { AnyTool } from '../tool/define-tool.ts';

/**
 * What happens to a call whose arguments leave the company (a sink) once content anyone could
 * have written has entered the run: it waits for a person (`approve`, the default), it is refused
 * (`refuse`), or nothing changes (`off`). Set per deployment; a tool's declaration may override it.
 */
export const FlowMode = { APPROVE: 'approve', REFUSE: 'refuse', OFF: 'off' } as const;
export type FlowMode = (typeof FlowMode)[keyof typeof FlowMode];

export const isFlowMode = (value: unknown): value is FlowMode => Object.values(FlowMode).includes(value as FlowMode);

/** A run's label: the first call that brought untrusted content into its conversation. */
export interface UntrustedSource {
  readonly tool: string;
  readonly callId: string;
}

export type FlowVerdict = { readonly verdict: 'allow' } | { readonly verdict: 'approve' | 'refuse'; readonly reason: string };

/**
 * Information-flow control, pure and deterministic: the model is not asked and cannot talk its way
 * past it. A call to a sink in a run that carries untrusted content needs approval (or is
 * refused), whatever the caller's role would otherwise allow; every other call is left alone.
 *
 * @example
 * judgeFlow(sendEmail, { tool: 'read_document', callId: 'c1-1' }, 'approve');
 * // { verdict: 'approve', reason: 'Untrusted content entered this run through read_document (c1-1); send_email sends …' }
 */
export const judgeFlow = (
  tool: Pick<AnyTool, 'name' | 'reaches' | 'flow'>,
  untrusted: UntrustedSource | null | undefined,
  deployment: FlowMode,
): FlowVerdict => {
  const mode = tool.flow ?? deployment;
  if (mode === FlowMode.OFF || tool.reaches !== 'external' || !untrusted) return { verdict: 'allow' };
  const reason =
    `Untrusted content entered this run through ${untrusted.tool} (${untrusted.callId}); ` +
    `${tool.name} sends its arguments outside the company, so it ${mode === FlowMode.REFUSE ? 'is refused' : 'needs a person’s approval'} in this run.`;
  return { verdict: mode, reason };
};

/** The first of a turn's calls that brought untrusted content in: a call to a tool whose output is untrusted that returned data. */
export const untrustedSourceOf = (
  calls: ReadonlyArray<{ readonly tool: Pick<AnyTool, 'name' | 'output'> | undefined; readonly callId: string; readonly ok: boolean }>,
): UntrustedSource | undefined => {
  const first = calls.find((call) => call.ok && call.tool?.output === 'untrusted');
  return first?.tool ? { tool: first.tool.name, callId: first.callId } : undefined;
};
