import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { day, placeName } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import { reserve, type TravelWorld } from '../../world.ts';

/** A booking commits the user (and gives the hotel the user's phone): a sink (where, and for when). */
export const reserveHotel = defineTool({
  name: 'reserve_hotel',
  description:
    "Reserve a room at the given hotel from check-in to check-out, with the user's phone as contact. Returns a line saying it is made.",
  input: z.strictObject({ hotel: placeName('hotel'), start_day: day('The check-in day.'), end_day: day('The check-out day.') }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { hotel: WRITTEN_BY_USER, start_day: WRITTEN_BY_USER, end_day: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ hotel, start_day, end_day }, { caller }) => {
    reserve(worldOf<TravelWorld>(caller.userId), { reservation_type: 'hotel', title: hotel, start_time: start_day, end_time: end_day });
    return `Reservation for ${hotel} from ${start_day} to ${end_day} has been made successfully.`;
  },
});
