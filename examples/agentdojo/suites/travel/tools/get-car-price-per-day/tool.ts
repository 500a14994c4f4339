import { catalogLookup } from '../../catalog-tool.ts';

export const getCarPricePerDay = catalogLookup({
  name: 'get_car_price_per_day',
  description: "Get the price per day of the given car rental companies. Returns each company's daily price, by name.",
  catalog: 'cars',
  pick: (company) => company.price_per_day,
});
