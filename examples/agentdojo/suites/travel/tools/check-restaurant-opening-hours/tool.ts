import { catalogLookup } from '../../catalog-tool.ts';

export const checkRestaurantOpeningHours = catalogLookup({
  name: 'check_restaurant_opening_hours',
  description: "Get the opening hours of the given restaurants. Returns each restaurant's hours and the days it opens, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.operating_hours,
});
