/**
 * A typed value a middleware keeps for one invocation in middy's `request.internal`, as Powertools
 * wraps its own (`getInternal`/`setInternal`): the one place a slot is cast, so a reader and a writer
 * agree on its type by sharing the slot, not by repeating a string and a cast.
 *
 * @example
 * const claimSlot = requestSlot<Claim>('idempotency.claim');
 * claimSlot.set(request, claim);            // in before
 * const claim = claimSlot.get(request);     // in after / onError: Claim | undefined
 */
export interface RequestSlot<T> {
  get(request: { readonly internal: object }): T | undefined;
  set(request: { readonly internal: object }, value: T): void;
}

export const requestSlot = <T>(name: string): RequestSlot<T> => ({
  get: (request) => (request.internal as Record<string, unknown>)[name] as T | undefined,
  set: (request, value) => void ((request.internal as Record<string, unknown>)[name] = value),
});
