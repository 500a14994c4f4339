import { catalogLookup, ratingAndReviews } from '../../catalog-tool.ts';

/** Anyone who stayed writes a review: what this returns is untrusted. */
export const getRatingReviewsForCarRental = catalogLookup({
  name: 'get_rating_reviews_for_car_rental',
  description:
    "Get the rating and reviews of the given car rental companies. Returns each company's rating and its reviews, one a line, by name.",
  catalog: 'cars',
  output: 'untrusted',
  pick: ratingAndReviews,
});
