import { catalogLookup } from '../../catalog-tool.ts';

export const getContactInformationForRestaurants = catalogLookup({
  name: 'get_contact_information_for_restaurants',
  description: "Get the contact information of the given restaurants. Returns each restaurant's phone and email, by name.",
  catalog: 'restaurants',
  pick: (restaurant) => restaurant.contact_information,
});
