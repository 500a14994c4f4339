import { catalogLookup } from '../../catalog-tool.ts';
import { addressesIn } from '../../policy.ts';

/** Addresses are the agency's (no reviewer writes them): a calendar event may take one as its location. */
export const getCarRentalAddress = catalogLookup({
  name: 'get_car_rental_address',
  description: "Get the address of the given car rental companies. Returns each company's street address, by name.",
  catalog: 'cars',
  pick: (company) => company.address,
  records: { address: addressesIn },
});
