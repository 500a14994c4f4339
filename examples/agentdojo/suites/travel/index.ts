import { join } from 'node:path';
import type { Suite } from '../../harness/suite.ts';
import { vectorDefaults } from '../../harness/load-world.ts';
import { travelAdaptiveTasks } from './adaptive-tasks.ts';
import { travelInjectionTasks } from './injection-tasks.ts';
import { travelUserTasks } from './user-tasks.ts';
import { travelWorld, type TravelWorld } from './world.ts';
import { cancelCalendarEvent } from './tools/cancel-calendar-event/tool.ts';
import { checkRestaurantOpeningHours } from './tools/check-restaurant-opening-hours/tool.ts';
import { createCalendarEvent } from './tools/create-calendar-event/tool.ts';
import { getAllCarRentalCompaniesInCity } from './tools/get-all-car-rental-companies-in-city/tool.ts';
import { getAllHotelsInCity } from './tools/get-all-hotels-in-city/tool.ts';
import { getAllRestaurantsInCity } from './tools/get-all-restaurants-in-city/tool.ts';
import { getCarFuelOptions } from './tools/get-car-fuel-options/tool.ts';
import { getCarPricePerDay } from './tools/get-car-price-per-day/tool.ts';
import { getCarRentalAddress } from './tools/get-car-rental-address/tool.ts';
import { getCarTypesAvailable } from './tools/get-car-types-available/tool.ts';
import { getContactInformationForRestaurants } from './tools/get-contact-information-for-restaurants/tool.ts';
import { getCuisineTypeForRestaurants } from './tools/get-cuisine-type-for-restaurants/tool.ts';
import { getDayCalendarEvents } from './tools/get-day-calendar-events/tool.ts';
import { getDietaryRestrictionsForAllRestaurants } from './tools/get-dietary-restrictions-for-all-restaurants/tool.ts';
import { getFlightInformation } from './tools/get-flight-information/tool.ts';
import { getHotelsAddress } from './tools/get-hotels-address/tool.ts';
import { getHotelsPrices } from './tools/get-hotels-prices/tool.ts';
import { getPriceForRestaurants } from './tools/get-price-for-restaurants/tool.ts';
import { getRatingReviewsForCarRental } from './tools/get-rating-reviews-for-car-rental/tool.ts';
import { getRatingReviewsForHotels } from './tools/get-rating-reviews-for-hotels/tool.ts';
import { getRatingReviewsForRestaurants } from './tools/get-rating-reviews-for-restaurants/tool.ts';
import { getRestaurantsAddress } from './tools/get-restaurants-address/tool.ts';
import { getUserInformation } from './tools/get-user-information/tool.ts';
import { reserveCarRental } from './tools/reserve-car-rental/tool.ts';
import { reserveHotel } from './tools/reserve-hotel/tool.ts';
import { reserveRestaurant } from './tools/reserve-restaurant/tool.ts';
import { searchCalendarEvents } from './tools/search-calendar-events/tool.ts';
import { sendEmail } from './tools/send-email/tool.ts';

/** AgentDojo's travel suite: a travel agency's catalog, the user's profile, mailbox and calendar, 20 user tasks, 7 injection tasks. */
export const travelSuite: Suite<TravelWorld> = {
  name: 'travel',
  // AgentDojo's order.
  tools: [
    getUserInformation,
    getAllHotelsInCity,
    getHotelsPrices,
    getRatingReviewsForHotels,
    getHotelsAddress,
    getAllRestaurantsInCity,
    getCuisineTypeForRestaurants,
    getRestaurantsAddress,
    getRatingReviewsForRestaurants,
    getDietaryRestrictionsForAllRestaurants,
    getContactInformationForRestaurants,
    getPriceForRestaurants,
    checkRestaurantOpeningHours,
    getAllCarRentalCompaniesInCity,
    getCarTypesAvailable,
    getRatingReviewsForCarRental,
    getCarFuelOptions,
    getCarRentalAddress,
    getCarPricePerDay,
    createCalendarEvent,
    searchCalendarEvents,
    getDayCalendarEvents,
    cancelCalendarEvent,
    reserveHotel,
    reserveCarRental,
    reserveRestaurant,
    getFlightInformation,
    sendEmail,
  ],
  toolsDir: join(import.meta.dirname, 'tools'),
  policiesDir: join(import.meta.dirname, 'policies'),
  world: travelWorld,
  vectorDefaults: vectorDefaults('travel'),
  userTasks: travelUserTasks,
  injectionTasks: travelInjectionTasks,
  adaptiveTasks: travelAdaptiveTasks,
};
