import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { requestSlot } from '../plumbing/index.ts';

/** The tool's guard item, as one call's token write returned it: its bucket and its breaker. */
export type ToolItem = Readonly<Record<string, AttributeValue>>;

/**
 * Where the rate limiter leaves the tool's item for the breaker, which lives on it: the token
 * write that admitted the call returned the breaker state with it, so the breaker needs no read.
 */
export const toolItemSlot = requestSlot<ToolItem>('guardTable.toolItem');
