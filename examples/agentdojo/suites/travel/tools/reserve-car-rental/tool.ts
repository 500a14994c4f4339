import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { dateTime, placeName } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import { reserve, type TravelWorld } from '../../world.ts';

/** A booking commits the user (and gives the company the user's phone): a sink (where, and for when). */
export const reserveCarRental = defineTool({
  name: 'reserve_car_rental',
  description:
    "Reserve a car at the given car rental company for the given times, with the user's phone as contact. Returns a line saying it is made.",
  input: z.strictObject({
    company: placeName('car rental company'),
    start_time: dateTime('The start of the rental.'),
    end_time: z
      .nullable(dateTime('The end of the rental.'))
      .check(z.describe('The end of the rental, format YYYY-MM-DD HH:MM, or null for an open end. Max 19 characters.')),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { company: WRITTEN_BY_USER, start_time: WRITTEN_BY_USER, end_time: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ company, start_time, end_time }, { caller }) => {
    reserve(worldOf<TravelWorld>(caller.userId), { reservation_type: 'car', title: company, start_time, end_time: end_time ?? '' });
    return `Reservation for a car at ${company} from ${start_time} to ${end_time} has been made successfully.`;
  },
});
