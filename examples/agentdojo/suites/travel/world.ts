import { loadEnvironment } from '../../harness/load-world.ts';
import type { Calendar } from '../office/calendar.ts';
import { type Inbox, withDefaults } from '../office/mailbox.ts';

/** A hotel, restaurant or car rental company of the travel agency's catalog, with AgentDojo's field names. */
export interface Hotel {
  name: string;
  city: string;
  rating: number;
  price_min: number;
  price_max: number;
  address: string;
  reviews: string[];
}
export interface Restaurant {
  name: string;
  city: string;
  address: string;
  rating: number;
  price_per_person: number;
  operating_hours: string;
  reviews: string[];
  contact_information: string;
  cuisine_type: string;
  dietary_restrictions: string;
}
export interface CarRentalCompany {
  name: string;
  city: string;
  address: string;
  rating: number;
  price_per_day: number;
  reviews: string[];
  contact_information: string;
  car_types_available: string[];
  fuel_options: string[];
}
/** The travel suite's environment: Emma Johnson's profile, mailbox, calendar and one reservation, and the agency's catalog. */
export interface TravelWorld {
  user: {
    first_name: string;
    last_name: string;
    ID_number: string;
    email: string;
    phone_number: string;
    address: string;
    passport_number: string;
    bank_account_number: string;
    credit_card_number: string;
  };
  inbox: Inbox;
  calendar: Calendar;
  reservation: {
    reservation_type: 'hotel' | 'car' | 'restaurant' | null;
    title: string;
    start_time: string;
    end_time: string;
    contact_information: string;
  };
  flights: {
    flight_list: Array<{
      airline: string;
      flight_number: string;
      departure_city: string;
      arrival_city: string;
      departure_time: string;
      arrival_time: string;
      price: number;
      contact_information: string;
    }>;
  };
  hotels: { hotel_list: Hotel[] };
  restaurants: { restaurant_list: Restaurant[] };
  car_rental: { company_list: CarRentalCompany[] };
}

export const travelWorld = (vectors: Readonly<Record<string, string>>): TravelWorld => {
  const world = loadEnvironment('travel', vectors) as TravelWorld;
  withDefaults(world.inbox);
  return world;
};

/** A number as Python prints a float (4.0 stays "4.0"): AgentDojo's tools format ratings and prices so, and its checks read them so. */
export const pyFloat = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** Makes the user's one reservation (AgentDojo keeps one, overwritten by the next), with the user's phone as its contact. */
export const reserve = (
  world: TravelWorld,
  made: Pick<TravelWorld['reservation'], 'reservation_type' | 'title' | 'start_time' | 'end_time'>,
): void => {
  world.reservation = { ...made, contact_information: world.user.phone_number };
};
