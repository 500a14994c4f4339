import { datesWrittenIn, ISO_DATE } from './prompt-dates.ts';
import { type AnyTool, FlowMode, type UntrustedSource, type VouchedBy } from '../tool/index.ts';

// The words of information flow belong to the declaration (tool); the judgement is here.
export { FlowMode, isFlowMode, type UntrustedSource, type Voucher, type VouchedBy } from '../tool/index.ts';

export type FlowVerdict = { readonly verdict: 'allow' } | { readonly verdict: 'approve' | 'refuse'; readonly reason: string };

/** What a run holds that can vouch: its request, and the values its records returned, by record name (lower case). */
export interface FlowEvidence {
  readonly prompt: string;
  readonly records: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Shorter values are never vouched for by the prompt: "me" or "a" is in any request. */
export const MIN_PROMPT_VALUE_LENGTH = 3;

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the request has the value as a whole token of its own (not inside a longer word or number), in any case. */
const writtenIn = (prompt: string, value: string): boolean =>
  value.length >= MIN_PROMPT_VALUE_LENGTH && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'iu').test(prompt);

/** Whether a sink argument sends to no one: absent, null, or an empty list (an email with no cc). */
const reachesNoOne = (value: unknown): boolean => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

/**
 * For a sink whose declaration names its sink arguments, which voucher vouches for each of them in
 * this call; undefined when any present one has none (the label then applies as before). Pure: the
 * value must be a string, or a list of strings each vouched for (a list of recipients), and be
 * written in the request or be one of the named records' values.
 *
 * @example
 * vouchFor(sendMoney, { recipient: 'GB29NWBK60161331926819', amount: 4 }, { prompt: 'refund GB29NWBK60161331926819', records: new Map() });
 * // { recipient: 'prompt' }
 */
export const vouchFor = (tool: Pick<AnyTool, 'sinkArguments'>, args: unknown, evidence: FlowEvidence): VouchedBy | undefined =>
  vouching(tool, args, evidence).vouchedBy;

/**
 * One pass over a call's sink arguments: what vouches for each (`vouchedBy`, only when every present
 * one is vouched for, as `vouchFor` answers) and the names of those nothing vouches for (what the
 * reason of a call that waits names, where the person deciding should look).
 */
export const vouching = (
  tool: Pick<AnyTool, 'sinkArguments'>,
  args: unknown,
  evidence: FlowEvidence,
): { readonly vouchedBy: VouchedBy | undefined; readonly unvouched: readonly string[] } => {
  const each = vouchersOf(tool, args, evidence);
  if (each === undefined) return { vouchedBy: undefined, unvouched: [] };
  const unvouched = [...each].flatMap(([name, voucher]) => (voucher === undefined ? [name] : []));
  return { vouchedBy: unvouched.length === 0 ? (Object.fromEntries(each) as VouchedBy) : undefined, unvouched };
};

/** Each present sink argument's voucher (undefined where none vouches for it); undefined for a tool with no sink arguments. */
const vouchersOf = (
  tool: Pick<AnyTool, 'sinkArguments'>,
  args: unknown,
  evidence: FlowEvidence,
): Map<string, string | undefined> | undefined => {
  if (!tool.sinkArguments || args === null || typeof args !== 'object') return undefined;
  let dates: ReadonlySet<string> | undefined;
  // A date argument (ISO) is the user's when the request writes that date, in words or as it is.
  const inPrompt = (text: string) =>
    writtenIn(evidence.prompt, text) || (ISO_DATE.test(text) && (dates ??= datesWrittenIn(evidence.prompt)).has(text));
  const voucherOf = (vouchers: readonly string[], value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const text = value.trim();
    return vouchers.find((v) =>
      v === 'prompt' ? inPrompt(text) : evidence.records.get(v.slice('record:'.length))?.has(text.toLowerCase()) === true,
    );
  };
  const each = new Map<string, string | undefined>();
  for (const [name, vouchers = []] of Object.entries(tool.sinkArguments)) {
    const value: unknown = (args as Record<string, unknown>)[name];
    if (reachesNoOne(value)) continue;
    // A list is vouched for when each of its values is (by any voucher the argument accepts): the first one's is kept.
    const per = (Array.isArray(value) ? value : [value]).map((v) => voucherOf(vouchers, v));
    each.set(name, per.includes(undefined) ? undefined : per[0]);
  }
  return each;
};

/** Whether what a call carries as vouched covers every sink argument it has, by vouchers its tool accepts for each. */
const vouchedFully = (tool: Pick<AnyTool, 'sinkArguments'>, args: unknown, vouchedBy: VouchedBy | null | undefined): boolean =>
  tool.sinkArguments !== undefined &&
  vouchedBy !== null &&
  vouchedBy !== undefined &&
  args !== null &&
  typeof args === 'object' &&
  Object.entries(tool.sinkArguments).every(
    ([name, vouchers]) =>
      reachesNoOne((args as Record<string, unknown>)[name]) || (vouchers as readonly string[]).includes(vouchedBy[name] ?? ''),
  );

/**
 * Information-flow control, pure and deterministic: the model is not asked and cannot talk its way
 * past it. A call to a sink in a run that carries untrusted content needs approval (or is
 * refused), whatever the caller's role would otherwise allow; every other call is left alone.
 *
 * @example
 * judgeFlow(sendEmail, { tool: 'read_document', callId: 'c1-1' }, 'approve');
 * // { verdict: 'approve', reason: 'Untrusted content entered this run through read_document (c1-1); send_email sends …' }
 * // A sink with declared sinkArguments, each vouched for in this call, is allowed:
 * judgeFlow(sendMoney, label, 'approve', { arguments: { recipient: 'GB29…' }, vouchedBy: { recipient: 'prompt' } }); // { verdict: 'allow' }
 */
export const judgeFlow = (
  tool: Pick<AnyTool, 'name' | 'reaches' | 'flow' | 'sinkArguments'>,
  untrusted: UntrustedSource | null | undefined,
  deployment: FlowMode,
  vouched?: { readonly arguments: unknown; readonly vouchedBy: VouchedBy | null | undefined },
): FlowVerdict => {
  const mode = tool.flow ?? deployment;
  if (mode === FlowMode.OFF || tool.reaches !== 'external' || !untrusted) return { verdict: 'allow' };
  // Every place the call sends to is one the user wrote or already trusts: untrusted content did not choose it.
  if (vouched && vouchedFully(tool, vouched.arguments, vouched.vouchedBy)) return { verdict: 'allow' };
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
