import { catalogLookup } from '../../catalog-tool.ts';

export const getCarFuelOptions = catalogLookup({
  name: 'get_car_fuel_options',
  description: "Get the fuel options of the given car rental companies, such as Electric. Returns each company's list, by name.",
  catalog: 'cars',
  pick: (company) => company.fuel_options,
});
