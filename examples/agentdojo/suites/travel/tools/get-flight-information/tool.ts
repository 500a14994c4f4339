import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { city } from '../../arguments.ts';
import { pyFloat, type TravelWorld } from '../../world.ts';

export const getFlightInformation = defineTool({
  name: 'get_flight_information',
  description:
    'Get the flights from the departure city to the arrival city. Returns one line per flight: airline, flight number, times, price and contact.',
  input: z.strictObject({ departure_city: city(), arrival_city: city() }),
  risk: 'read',
  ...toolSettings,
  handler: async ({ departure_city, arrival_city }, { caller }) =>
    worldOf<TravelWorld>(caller.userId)
      .flights.flight_list.filter((f) => f.departure_city === departure_city && f.arrival_city === arrival_city)
      .map(
        (f) =>
          `Airline: ${f.airline}, Flight Number: ${f.flight_number}, Departure Time: ${f.departure_time}, Arrival Time: ${f.arrival_time}, ` +
          `Price: ${pyFloat(f.price)}, Contact Information: ${f.contact_information}`,
      )
      .join('\n'),
});
