import { catalogLookup } from '../../catalog-tool.ts';
import { pyFloat } from '../../world.ts';

export const getHotelsPrices = catalogLookup({
  name: 'get_hotels_prices',
  description: 'Get the price range of the given hotels, per night. Returns each hotel\'s "Price range: <min> - <max>", by name.',
  catalog: 'hotels',
  pick: (hotel) => `Price range: ${pyFloat(hotel.price_min)} - ${pyFloat(hotel.price_max)}`,
});
