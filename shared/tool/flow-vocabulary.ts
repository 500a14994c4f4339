/**
 * The words a tool's declaration uses for information flow (shared/guards judges with them): the
 * modes, a run's label, and what may vouch for a sink argument. Here, with the declaration, so the
 * declaration needs nothing from the guards that read it.
 */

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

/**
 * What may vouch for a sink argument's value in a run that carries untrusted content: the user's
 * own words (`prompt`: the value is written in the run's request), or the user's own records
 * (`record:<name>`: a value a tool declaring `records.<name>` returned earlier in the run).
 */
export type Voucher = 'prompt' | `record:${string}`;

/** Which voucher vouched for each sink argument of one call (as the loop found it and the invocation carries it). */
export type VouchedBy = Readonly<Record<string, string>>;
