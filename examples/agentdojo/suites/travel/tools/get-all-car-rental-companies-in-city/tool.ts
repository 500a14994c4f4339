import { namesInCity } from '../../catalog-tool.ts';

export const getAllCarRentalCompaniesInCity = namesInCity({
  name: 'get_all_car_rental_companies_in_city',
  description: 'Get all car rental companies in the given city. Returns their names, one a line, after "Car Rental Companies in <city>: ".',
  catalog: 'cars',
  heading: (city) => `Car Rental Companies in ${city}: `,
});
