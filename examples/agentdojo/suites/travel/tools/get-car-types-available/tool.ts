import { catalogLookup } from '../../catalog-tool.ts';

export const getCarTypesAvailable = catalogLookup({
  name: 'get_car_types_available',
  description: "Get the car types the given car rental companies offer, such as SUV. Returns each company's list of types, by name.",
  catalog: 'cars',
  pick: (company) => company.car_types_available,
});
