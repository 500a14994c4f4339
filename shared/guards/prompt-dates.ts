/**
 * The calendar dates a request writes in words, as ISO dates: "January 11th 2025", "Jan 11, 2025",
 * "11 January 2025" and "the 11th of January 2025" are all 2025-01-11. A sink's date argument is
 * sent in ISO form, so without this a date the user wrote could never vouch for one.
 *
 * Strict on purpose, and written here rather than taken from a natural-language date library: a
 * date vouches only when the request writes its month by name, its day and its year. A date
 * without a year takes the year of the date that ends its range ("January 11th to January 15th
 * 2025"), and nothing else. Relative dates ("next Friday", "tomorrow") are never read: they depend
 * on a clock, and a repeated step must find the same vouchers; libraries that read them also guess
 * at forms (11/01, "the 11th") whose meaning the request does not settle.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** A month's name, whole or shortened to its first three letters (and "Sept"). */
const MONTH = String.raw`(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:,?\s+(\d{4}))?`;
/** "January 11th[,] [2025]" (month first) or "[the] 11th [of] January[,] [2025]" (day first), as whole words. */
const WRITTEN_DATE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${MONTH}\s+${DAY}${YEAR}|${DAY}\s+(?:of\s+)?${MONTH}${YEAR})(?![\p{L}\p{N}])`,
  'giu',
);
/** What joins the two ends of a range: "January 11th to January 15th 2025". */
const RANGE_JOIN = /^\s*(?:-|–|to|until|till|through|and)\s*$/iu;

interface WrittenDate {
  readonly month: number;
  readonly day: number;
  year: number | undefined;
  readonly start: number;
  readonly end: number;
}

const monthNumber = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;

const iso = ({ year, month, day }: WrittenDate): string | undefined => {
  if (year === undefined) return undefined;
  // A day its month does not have (February 30th) is no date: Date would roll it over. (setUTCFullYear,
  // as Date.UTC would read a year under 100 as 19xx.)
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.toISOString().slice(0, 10) : undefined;
};

/**
 * Every date the request writes with its month by name, as `YYYY-MM-DD`.
 *
 * @example
 * datesWrittenIn('reserve it from January 11th to January 15th 2025'); // Set { '2025-01-11', '2025-01-15' }
 */
export const datesWrittenIn = (prompt: string): ReadonlySet<string> => {
  const dates: WrittenDate[] = [...prompt.matchAll(WRITTEN_DATE)].map((m) => ({
    // Month first: groups 1 to 3; day first: 4 to 6.
    month: monthNumber(m[1] ?? m[5] ?? ''),
    day: Number(m[2] ?? m[4]),
    year: (m[3] ?? m[6]) === undefined ? undefined : Number(m[3] ?? m[6]),
    start: m.index,
    end: m.index + m[0].length,
  }));
  // Right to left, so that each end of a chain of ranges has its year before the one before it asks.
  for (let i = dates.length - 2; i >= 0; i--) {
    const [date, next] = [dates[i], dates[i + 1]] as [WrittenDate, WrittenDate];
    if (date.year === undefined && next.year !== undefined && RANGE_JOIN.test(prompt.slice(date.end, next.start)))
      // A range that turns the year ("December 30th to January 2nd 2026") starts in the year before.
      date.year = next.year - (date.month > next.month || (date.month === next.month && date.day > next.day) ? 1 : 0);
  }
  return new Set(dates.map(iso).filter((date): date is string => date !== undefined));
};

/** An ISO calendar date, as a date argument carries it. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
