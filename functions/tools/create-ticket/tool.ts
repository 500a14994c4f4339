import * as z from 'zod/mini';
import { boundedText } from '../../../shared/argument-types/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import type { TicketStore } from './ticket-store.ts';

export interface CreateTicketDeps {
  readonly tickets: TicketStore;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

export const createTicket = defineTool({
  name: 'create_ticket',
  description:
    'Create a support ticket for the support team with a title, a description and a priority. Returns the new ticket id and when it was created.',
  input: z.strictObject({
    title: boundedText({ description: 'One-line summary of the problem, shown in ticket lists. Max 120 characters.', max: 120 }),
    description: boundedText({
      description: 'What happened, what was expected, and any ids involved. Newlines allowed. Max 4000 characters.',
      max: 4000,
      multiline: true,
    }),
    priority: z
      .enum(['low', 'normal', 'high', 'urgent'])
      .check(z.describe('How urgent the ticket is: low, normal, high or urgent (urgent pages the on-call).')),
  }),
  risk: 'write',
  limits: limitPresets.write,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'table', table: demoTableSpecs.tickets.id, access: 'write', actions: ['PutItem'] }],
  handler: async (input, { deps, runId, callId, caller, signal }: ToolContext<CreateTicketDeps>) => {
    // The id comes from the call, so even a repeat that got past idempotency cannot open a second ticket.
    const ticketId = `TCK-${hashCanonical([runId, callId]).slice(0, 10).toUpperCase()}`;
    const createdAt = (deps.clock?.() ?? new Date()).toISOString();
    await deps.tickets.create({ ticketId, ...input, createdBy: caller.userId, createdAt, runId }, signal);
    return { ticketId, createdAt };
  },
});
