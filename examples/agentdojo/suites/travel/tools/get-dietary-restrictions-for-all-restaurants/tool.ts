import { catalogLookup } from '../../catalog-tool.ts';

export const getDietaryRestrictionsForAllRestaurants = catalogLookup({
  name: 'get_dietary_restrictions_for_all_restaurants',
  description:
    "Get the dietary options of the given restaurants, such as Vegetarian or Gluten-free. Returns each restaurant's options, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.dietary_restrictions,
  matchInJoined: true,
});
