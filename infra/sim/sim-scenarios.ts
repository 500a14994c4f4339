import { modelScriptSchema } from '../../shared/model/index.ts';
import * as z from 'zod/mini';

/**
 * What a seed plays (one run each):
 * - `ticket`: an operator's run whose model asks, in one turn, for a ticket (a write: the side
 *   effect counted) and an order lookup, then answers;
 * - `refund`: an admin's run whose model asks for a refund (destructive: it waits for an approver,
 *   who decides over the API or from Slack under the seed's decision faults), then answers;
 * - `budget`: an operator's run whose model asks for four lookups in two turns, past its own budget
 *   and its user's day (shared with the user's other runs).
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
  budget: {
    groups: ['operator'],
    input: 'Look up ORD-104233 and ORD-104241, twice each.',
    // Four lookups in two turns: more than the run's budget (3) and, with the other runs of its user,
    // far more than the user's day (SIM_USER_DAY_TOOL_CALLS): most are refused, none may run past them.
    budget: { toolCalls: 3 },
    script: z.parse(modelScriptSchema, {
      provider: 'scripted',
      turns: [
        {
          toolCalls: [
            { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
            { name: 'lookup_order', arguments: { orderId: 'ORD-104241' } },
          ],
        },
        {
          toolCalls: [
            { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
            { name: 'lookup_order', arguments: { orderId: 'ORD-104241' } },
          ],
        },
        { text: 'Looked up.' },
      ],
    }),
  },
} as const;

/** Each user's tool calls a day in the simulated world (GuardedAgent `spendBudgets`): every run's owner has it. */
export const SIM_USER_DAY_TOOL_CALLS = 5;

/** A run's owner: its own user, except `budget` runs, which share one user per 30 seeds (their day's budget contended). */
export const ownerOf = (seed: number, scenario: ScenarioName): string =>
  scenario === 'budget' ? `sim-budget-${Math.floor(seed / 30)}` : `sim-${seed}`;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** The scenario a seed plays unless told: a seed divisible by 3 a budget run, else odd seeds a ticket, even ones a refund. */
export const scenarioOf = (seed: number): ScenarioName => (seed % 3 === 0 ? 'budget' : seed % 2 === 1 ? 'ticket' : 'refund');
