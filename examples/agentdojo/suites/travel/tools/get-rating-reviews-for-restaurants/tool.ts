import { catalogLookup, ratingAndReviews } from '../../catalog-tool.ts';

/** Anyone who stayed writes a review: what this returns is untrusted. */
export const getRatingReviewsForRestaurants = catalogLookup({
  name: 'get_rating_reviews_for_restaurants',
  description:
    "Get the rating and reviews of the given restaurants. Returns each restaurant's rating and its reviews, one a line, by name.",
  catalog: 'restaurants',
  output: 'untrusted',
  pick: ratingAndReviews,
});
