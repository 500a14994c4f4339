import { createHash } from 'node:crypto';

/** The faults the simulation injects at a DynamoDB request. */
export const DYNAMODB_FAULTS = ['throttled', 'timeout-before', 'timeout-after'] as const;

/** The faults it injects at a Lambda invocation the state machine makes. */
export const LAMBDA_FAULTS = ['crash-before', 'crash-after', 'duplicate', 'twice-at-once'] as const;

/**
 * The faults of an approver's decision on its way (sim-approver.ts): the same decision sent twice at
 * once, sent again after the run ended, Slack delivering its callback twice, two approvers answering
 * differently at once, and a decision that comes after the approval timed out.
 */
export const DECISION_FAULTS = ['sent-twice-at-once', 'sent-again-later', 'slack-redelivered', 'conflicting', 'late'] as const;
export type DecisionFault = (typeof DECISION_FAULTS)[number];

/**
 * An outage of one function's DynamoDB (dynamodb-faults.ts): for one to eight of its requests in
 * the seed, every attempt fails (a 500, which the SDK retries in vain).
 */
export const OUTAGE_FAULTS = ['outage'] as const;

/** The fault it injects in a tool's handler (tool-failures.ts): it fails before doing anything, as a tool whose downstream is down. */
export const TOOL_FAULTS = ['tool-fails'] as const;

/** Not a fault but the answer to one: a failed execution redriven (sim-seed.ts), counted with the faults. */
export const REDRIVES = ['redrive'] as const;

/** A function's clock off true time (skewed-clocks.ts): drawn once per function and seed. */
export const CLOCK_FAULTS = ['clock-skew'] as const;

/** How far a function's clock may be from true time, either way: two functions differ by up to twice this. */
export const MAX_CLOCK_SKEW_MS = 1000;

/** Every kind, as the report counts them. */
export const FAULT_KINDS = [
  ...DYNAMODB_FAULTS,
  ...OUTAGE_FAULTS,
  ...LAMBDA_FAULTS,
  ...DECISION_FAULTS,
  ...TOOL_FAULTS,
  ...CLOCK_FAULTS,
  ...REDRIVES,
] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault injected: where (the function and the request), which, and the request's number at that point. */
export interface InjectedFault {
  readonly point: string;
  readonly kind: FaultKind;
  readonly nth: number;
  /** A clock's offset from true time (a `clock-skew`). */
  readonly offsetMs?: number;
}

/**
 * One seed's faults. Each decision is a hash of the seed, the fault point (function and command)
 * and how many requests that point has sent so far, never a shared random stream: the schedule of
 * a point does not depend on how the other functions' requests interleave, so a seed replays the
 * same faults on a busy machine as on an idle one.
 */
export class FaultPlan {
  readonly #seed: number;
  /** The share of requests and invocations that meet a fault. */
  readonly rate: number;
  readonly #counters = new Map<string, number>();
  readonly injected: InjectedFault[] = [];
  /** Requests each point sent (faulted or not): how often each was reached. */
  readonly reached = new Map<string, number>();
  /** The time the seed's retries would have paused on AWS, taken in virtual time (milliseconds). */
  pausedMs = 0;

  /** The seed this plan draws from. */
  get seed(): number {
    return this.#seed;
  }

  /** @param rate the share of requests that meet a fault, 0 to 1 */
  constructor(seed: number, rate: number) {
    this.#seed = seed;
    this.rate = rate;
  }

  /** Side effects that landed during the seed, by kind (a ticket created, a refund made). */
  readonly effects = new Map<string, number>();

  /** A side effect landed (counted where it happens, whichever of the seed's invocations made it). */
  landed(effect: string): void {
    this.effects.set(effect, (this.effects.get(effect) ?? 0) + 1);
  }

  readonly #clocks = new Map<string, number>();

  /**
   * The offset of this function's clock from true time in this seed, within ±`MAX_CLOCK_SKEW_MS`
   * (none in a seed without faults): drawn from the seed and the function alone, recorded once.
   */
  clockOffsetMs(functionName: string): number {
    if (this.rate === 0) return 0;
    const known = this.#clocks.get(functionName);
    if (known !== undefined) return known;
    const offsetMs = Math.round((draws(`${this.#seed}:${functionName}:Clock`)[0] * 2 - 1) * MAX_CLOCK_SKEW_MS);
    this.#clocks.set(functionName, offsetMs);
    this.injected.push({ point: `${functionName}:Clock`, kind: 'clock-skew', nth: 0, offsetMs });
    return offsetMs;
  }

  readonly #outages = new Map<string, { readonly from: number; readonly to: number; requests: number }>();

  /**
   * Whether this request of the function meets its outage: decided once per function and seed (at
   * the plan's rate, none without faults), starting at one of its first eight requests and lasting
   * one to eight requests (each failing every attempt). Call once per request (not per attempt).
   */
  outage(functionName: string): boolean {
    if (this.rate === 0) return false;
    let outage = this.#outages.get(functionName);
    if (!outage) {
      const point = `${functionName}:Outage`;
      const [roll, pick] = draws(`${this.#seed}:${point}`);
      const from = roll < this.rate ? Math.floor(pick * 8) : Infinity;
      outage = { from, to: from + 1 + Math.floor(draws(`${this.#seed}:${point}:length`)[0] * 8), requests: 0 };
      this.#outages.set(functionName, outage);
      this.reached.set(point, (this.reached.get(point) ?? 0) + 1);
      if (outage.from !== Infinity) this.injected.push({ point, kind: 'outage', nth: outage.from });
    }
    const nth = outage.requests;
    outage.requests += 1;
    return nth >= outage.from && nth < outage.to;
  }

  /** The run's failed execution was redriven (point `StepFunctions:Redrive`). */
  redriven(): void {
    const point = 'StepFunctions:Redrive';
    const nth = this.reached.get(point) ?? 0;
    this.reached.set(point, nth + 1);
    this.injected.push({ point, kind: 'redrive', nth });
  }

  /** Each function's clock offset drawn so far. */
  get clocks(): ReadonlyMap<string, number> {
    return this.#clocks;
  }

  /** A retry's pause, counted instead of slept. */
  pause(ms: number): void {
    this.pausedMs += ms;
  }

  /** The fault this request (or invocation) meets, one of `kinds`, if any (recorded). */
  /** @param share this point's share of faults, if not the plan's rate (a point reached once per seed meets more) */
  decide<K extends FaultKind>(point: string, kinds: readonly K[], share = this.rate): K | undefined {
    const nth = this.#counters.get(point) ?? 0;
    this.#counters.set(point, nth + 1);
    this.reached.set(point, (this.reached.get(point) ?? 0) + 1);
    const [roll, pick] = draws(`${this.#seed}:${point}:${nth}`);
    if (roll >= share) return undefined;
    const kind = kinds[Math.floor(pick * kinds.length)] as K;
    this.injected.push({ point, kind, nth });
    return kind;
  }
}

/** Two numbers in [0, 1) from a key: the first 8 bytes of its SHA-256, as two 32-bit fractions. */
const draws = (key: string): [number, number] => {
  const digest = createHash('sha256').update(key).digest();
  return [digest.readUInt32BE(0) / 2 ** 32, digest.readUInt32BE(4) / 2 ** 32];
};
