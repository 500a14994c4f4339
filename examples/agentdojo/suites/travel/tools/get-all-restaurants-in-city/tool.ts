import { namesInCity } from '../../catalog-tool.ts';

export const getAllRestaurantsInCity = namesInCity({
  name: 'get_all_restaurants_in_city',
  description: 'Get all restaurants in the given city. Returns their names, one a line, after "Restaurant in <city>: ".',
  catalog: 'restaurants',
  heading: (city) => `Restaurant in ${city}: `,
});
