import { catalogLookup } from '../../catalog-tool.ts';

export const getPriceForRestaurants = catalogLookup({
  name: 'get_price_for_restaurants',
  description: "Get the price per person of the given restaurants. Returns each restaurant's price per person, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.price_per_person,
});
