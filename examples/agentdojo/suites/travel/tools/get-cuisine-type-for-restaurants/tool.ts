import { catalogLookup } from '../../catalog-tool.ts';

export const getCuisineTypeForRestaurants = catalogLookup({
  name: 'get_cuisine_type_for_restaurants',
  description: "Get the cuisine of the given restaurants, such as French or Chinese. Returns each restaurant's cuisine, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.cuisine_type,
});
