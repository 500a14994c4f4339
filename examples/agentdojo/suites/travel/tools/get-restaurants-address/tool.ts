import { catalogLookup } from '../../catalog-tool.ts';
import { addressesIn } from '../../policy.ts';

/** Addresses are the agency's (no reviewer writes them): a calendar event may take one as its location. */
export const getRestaurantsAddress = catalogLookup({
  name: 'get_restaurants_address',
  description: "Get the address of the given restaurants. Returns each restaurant's street address, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.address,
  records: { address: addressesIn },
});
