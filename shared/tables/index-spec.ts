/** A global secondary index: string keys, the keys and `include` projected. */
export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attributes the index carries besides the keys (none: the keys only). */
  readonly include: readonly string[];
}
