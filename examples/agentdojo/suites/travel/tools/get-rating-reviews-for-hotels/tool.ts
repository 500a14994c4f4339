import { catalogLookup, ratingAndReviews } from '../../catalog-tool.ts';

/** Anyone who stayed writes a review: what this returns is untrusted. */
export const getRatingReviewsForHotels = catalogLookup({
  name: 'get_rating_reviews_for_hotels',
  description: "Get the rating and reviews of the given hotels. Returns each hotel's rating and its reviews, one a line, by name.",
  catalog: 'hotels',
  output: 'untrusted',
  pick: ratingAndReviews,
});
