import { namesInCity } from '../../catalog-tool.ts';

export const getAllHotelsInCity = namesInCity({
  name: 'get_all_hotels_in_city',
  description: 'Get all hotels in the given city. Returns their names, one a line, after "Hotel Names: ".',
  catalog: 'hotels',
  heading: () => 'Hotel Names: ',
});
