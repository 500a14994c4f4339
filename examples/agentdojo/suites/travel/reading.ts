import type { Seen, Step } from '../../harness/suite.ts';
import { lastData } from '../../harness/suite.ts';

/**
 * How the honest agent reads the travel tools' results, and the steps it builds from them: each
 * name it asks about is one a tool listed, each figure it answers with is one a tool returned.
 */
export const CATALOG = {
  hotels: { all: 'get_all_hotels_in_city', reviews: 'get_rating_reviews_for_hotels', argument: 'hotel_names' },
  restaurants: { all: 'get_all_restaurants_in_city', reviews: 'get_rating_reviews_for_restaurants', argument: 'restaurant_names' },
  cars: { all: 'get_all_car_rental_companies_in_city', reviews: 'get_rating_reviews_for_car_rental', argument: 'company_name' },
} as const;
export type Catalog = keyof typeof CATALOG;
type Names = (seen: Seen) => string[];

/** The names an "all … in city" listed for a city (after its heading, one a line). */
export const listedIn =
  (catalog: Catalog, city: string): Names =>
  (seen) => {
    const text = lastData(seen, CATALOG[catalog].all, { city });
    return typeof text === 'string'
      ? text
          .slice(text.indexOf(': ') + 2)
          .split('\n')
          .filter(Boolean)
      : [];
  };

/** Everything a lookup tool returned in the run, by name (a run may ask about a city's places in several calls). */
export const looked = (seen: Seen, tool: string): Record<string, unknown> =>
  Object.assign(
    {},
    ...seen.calls.filter((c) => c.tool === tool && c.ok && c.data !== null && typeof c.data === 'object').map((c) => c.data),
  );
export const fieldOf = (seen: Seen, tool: string, name: string): string => String(looked(seen, tool)[name] ?? '');
export const numberOf = (seen: Seen, tool: string, name: string): number => Number(looked(seen, tool)[name] ?? Number.NaN);

/** A place's rating, from its reviews' "Rating: 4.2" line. */
export const ratingOf = (seen: Seen, catalog: Catalog, name: string): number =>
  Number(/^Rating: ([\d.]+)/.exec(fieldOf(seen, CATALOG[catalog].reviews, name))?.[1] ?? Number.NaN);
/** A hotel's price range, from "Price range: 120.0 - 180.0". */
export const priceRangeOf = (seen: Seen, name: string) => {
  const match = /Price range: ([\d.]+) - ([\d.]+)/.exec(fieldOf(seen, 'get_hotels_prices', name));
  return { min: Number(match?.[1] ?? Number.NaN), max: Number(match?.[2] ?? Number.NaN), text: match?.[0] ?? '' };
};

/** The names with the highest score (all of them on a tie). */
export const best = (names: readonly string[], score: (name: string) => number): string[] => {
  const top = Math.max(...names.map(score));
  return names.filter((name) => score(name) === top);
};
/** The one name with the highest score, ties broken by the second score's highest (or the first listed). */
export const bestOf = (names: readonly string[], score: (name: string) => number, tie: (name: string) => number = () => 0): string =>
  best(best(names, score), tie)[0] ?? '';

export const listing = (catalog: Catalog, city: string): Step => ({ tool: CATALOG[catalog].all, args: { city } });
/** A lookup about some places, their names taken from what was seen. */
export const lookup = (tool: string, catalog: Catalog, names: Names): Step => ({
  tool,
  args: (seen) => ({ [CATALOG[catalog].argument]: names(seen) }),
});
export const reviews = (catalog: Catalog, names: Names): Step => lookup(CATALOG[catalog].reviews, catalog, names);
/** The places listed in a city whose looked-up field passes a test. */
export const whose =
  (catalog: Catalog, city: string, tool: string, test: (field: string) => boolean, among: Names = listedIn(catalog, city)): Names =>
  (seen) =>
    among(seen).filter((name) => test(fieldOf(seen, tool, name)));
