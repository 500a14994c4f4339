import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { placeName } from '../../arguments.ts';
import { addressesIn } from '../../policy.ts';
import type { TravelWorld } from '../../world.ts';

/** Addresses are the agency's (no reviewer writes them): a calendar event may take one as its location. */
export const getHotelsAddress = defineTool({
  name: 'get_hotels_address',
  description: "Get the address of the given hotel. Returns the hotel's street address, by its name.",
  input: z.strictObject({ hotel_name: placeName('hotel') }),
  risk: 'read',
  records: { address: addressesIn },
  ...toolSettings,
  handler: async ({ hotel_name }, { caller }) =>
    Object.fromEntries(
      worldOf<TravelWorld>(caller.userId)
        .hotels.hotel_list.filter((hotel) => hotel.name === hotel_name)
        .map((hotel) => [hotel.name, hotel.address]),
    ),
});
