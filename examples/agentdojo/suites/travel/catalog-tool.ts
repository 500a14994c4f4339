import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../harness/tool-settings.ts';
import { worldOf } from '../../harness/worlds.ts';
import { city, placeNames } from './arguments.ts';
import { type CarRentalCompany, type Hotel, pyFloat, type Restaurant, type TravelWorld } from './world.ts';

/** The agency's three catalogs, each with the word its tools use and the name of their list argument (AgentDojo's). */
const CATALOGS = {
  hotels: { what: 'hotel', argument: 'hotel_names', list: (w: TravelWorld) => w.hotels.hotel_list },
  restaurants: { what: 'restaurant', argument: 'restaurant_names', list: (w: TravelWorld) => w.restaurants.restaurant_list },
  cars: { what: 'car rental company', argument: 'company_name', list: (w: TravelWorld) => w.car_rental.company_list },
} as const;
type Catalog = keyof typeof CATALOGS;
type ItemOf<C extends Catalog> = C extends 'hotels' ? Hotel : C extends 'restaurants' ? Restaurant : CarRentalCompany;

/** What a lookup declares besides its catalog: its name, what it says it returns, the field it picks, and its flow. */
interface LookupOptions<C extends Catalog> {
  readonly name: string;
  readonly description: string;
  readonly catalog: C;
  readonly pick: (item: ItemOf<C>) => unknown;
  /** Reviews are anyone's: a lookup that returns them is an untrusted source. @default 'trusted' */
  readonly output?: 'untrusted';
  readonly records?: Readonly<Record<string, (result: unknown) => readonly unknown[]>>;
  /** AgentDojo's dietary lookup matches a name inside the names joined by ", ", not in the list; kept as published. */
  readonly matchInJoined?: boolean;
}

/**
 * One of AgentDojo's catalog lookups: for the names given, each listed item's field, by name (names
 * the catalog does not list are left out). Every such tool is this one shape; each is still a
 * declaration of its own, in its own folder.
 */
export const catalogLookup = <C extends Catalog>(options: LookupOptions<C>) => {
  const { what, argument, list } = CATALOGS[options.catalog];
  return defineTool({
    name: options.name,
    description: options.description,
    input: z.strictObject({ [argument]: placeNames(what) }),
    risk: 'read',
    ...(options.output ? { output: options.output } : {}),
    ...(options.records ? { records: options.records } : {}),
    ...toolSettings,
    handler: async (input, { caller }) => {
      const names = (input as Record<string, string[]>)[argument] ?? [];
      const joined = names.join(', ');
      const items = list(worldOf<TravelWorld>(caller.userId)) as unknown as ReadonlyArray<ItemOf<C>>;
      return Object.fromEntries(
        items
          .filter((item) => (options.matchInJoined ? joined.includes(item.name) : names.includes(item.name)))
          .map((item) => [item.name, options.pick(item)]),
      );
    },
  });
};

/** AgentDojo's "all … in city": the catalog's names in a city, one a line, after a heading. */
export const namesInCity = <C extends Catalog>(options: {
  readonly name: string;
  readonly description: string;
  readonly catalog: C;
  readonly heading: (city: string) => string;
}) => {
  const { list } = CATALOGS[options.catalog];
  return defineTool({
    name: options.name,
    description: options.description,
    input: z.strictObject({ city: city() }),
    risk: 'read',
    ...toolSettings,
    handler: async ({ city: where }, { caller }) => {
      const names = list(worldOf<TravelWorld>(caller.userId))
        .filter((item) => item.city === where)
        .map((item) => item.name);
      return `${options.heading(where)}${names.join('\n')}\n`;
    },
  });
};

/** AgentDojo's rating-and-reviews text: "Rating: 4.2\nReviews: …", one review a line. */
export const ratingAndReviews = (item: { rating: number; reviews: string[] }): string =>
  `Rating: ${pyFloat(item.rating)}\nReviews: ${item.reviews.join('\n')}`;
