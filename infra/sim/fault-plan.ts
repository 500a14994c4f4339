import { createHash } from 'node:crypto';

/** The faults the simulation injects at a DynamoDB request. */
export const DYNAMODB_FAULTS = ['throttled', 'timeout-before', 'timeout-after'] as const;
export type DynamoDbFault = (typeof DYNAMODB_FAULTS)[number];

/** The faults it injects at a Lambda invocation the state machine makes. */
export const LAMBDA_FAULTS = ['crash-before', 'crash-after', 'duplicate', 'twice-at-once'] as const;
export type LambdaFault = (typeof LAMBDA_FAULTS)[number];

/** Every kind, as the report counts them. */
export const FAULT_KINDS = [...DYNAMODB_FAULTS, ...LAMBDA_FAULTS] as const;

/** A fault injected: where (the function and the request), which, and the request's number at that point. */
export interface InjectedFault {
  readonly point: string;
  readonly kind: DynamoDbFault | LambdaFault;
  readonly nth: number;
}

/**
 * One seed's faults. Each decision is a hash of the seed, the fault point (function and command)
 * and how many requests that point has sent so far, never a shared random stream: the schedule of
 * a point does not depend on how the other functions' requests interleave, so a seed replays the
 * same faults on a busy machine as on an idle one.
 */
export class FaultPlan {
  readonly #seed: number;
  readonly #rate: number;
  readonly #counters = new Map<string, number>();
  readonly injected: InjectedFault[] = [];
  /** Requests each point sent (faulted or not): how often each was reached. */
  readonly reached = new Map<string, number>();

  /** @param rate the share of requests that meet a fault, 0 to 1 */
  constructor(seed: number, rate: number) {
    this.#seed = seed;
    this.#rate = rate;
  }

  /** The fault this request (or invocation) meets, one of `kinds`, if any (recorded). */
  decide<K extends DynamoDbFault | LambdaFault>(point: string, kinds: readonly K[]): K | undefined {
    const nth = this.#counters.get(point) ?? 0;
    this.#counters.set(point, nth + 1);
    this.reached.set(point, (this.reached.get(point) ?? 0) + 1);
    const [roll, pick] = draws(`${this.#seed}:${point}:${nth}`);
    if (roll >= this.#rate) return undefined;
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
