import { modelScriptSchema } from '../../shared/model/index.ts';
import * as z from 'zod/mini';

/**
 * What a seed plays (one run each):
 * - `ticket`: an operator's run whose model asks, in one turn, for a ticket (a write: the side
 *   effect counted) and an order lookup, then answers;
 * - `refund`: an admin's run whose model asks for a refund (destructive: it waits for an approver,
 *   who decides over the API or from Slack under the seed's decision faults), then answers.
 */
export const SCENARIOS = {
  ticket: {
    groups: ['operator'],
    input: 'Open a ticket about the printer and look up ORD-104233.',
    script: z.parse(modelScriptSchema, {
      provider: 'scripted',
      turns: [
        {
          toolCalls: [
            { name: 'create_ticket', arguments: { title: 'Printer', description: 'It jams.', priority: 'low' } },
            { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
          ],
        },
        { text: 'Done.' },
      ],
    }),
  },
  refund: {
    groups: ['admin'],
    input: 'Refund one cent of ORD-104241.',
    // One cent of the demo's largest order: tens of thousands of seeds refund it without running out.
    script: z.parse(modelScriptSchema, {
      provider: 'scripted',
      turns: [
        { toolCalls: [{ name: 'refund_order', arguments: { orderId: 'ORD-104241', amountCents: 1, reason: 'Late delivery.' } }] },
        { text: 'Refunded.' },
      ],
    }),
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** The scenario a seed plays unless told: odd seeds a ticket, even ones a refund. */
export const scenarioOf = (seed: number): ScenarioName => (seed % 2 === 1 ? 'ticket' : 'refund');
