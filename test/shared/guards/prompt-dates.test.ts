import { describe, expect, it } from 'vitest';
import { datesWrittenIn } from '#shared/guards/prompt-dates.ts';

const dates = (prompt: string) => [...datesWrittenIn(prompt)];

describe('datesWrittenIn: the dates a request writes with its month by name', () => {
  it('reads the month first or the day first, whole or shortened names, with or without a comma and a suffix', () => {
    expect(dates('on January 11th 2025')).toEqual(['2025-01-11']);
    expect(dates('on Jan 3, 2026 or the 5th of March 2024, or 2 Sept. 2024, or 22 december 2025')).toEqual([
      '2026-01-03',
      '2024-03-05',
      '2024-09-02',
      '2025-12-22',
    ]);
    // The year as written, however small.
    expect(dates('March 3 0099')).toEqual(['0099-03-03']);
  });

  it("gives a date without a year the year of its range's end, and the year before when the range turns the year", () => {
    expect(dates('from January 11th to January 15th 2025')).toEqual(['2025-01-11', '2025-01-15']);
    expect(dates('May 1 - May 3, 2024')).toEqual(['2024-05-01', '2024-05-03']);
    expect(dates('December 30th until January 2nd 2026')).toEqual(['2025-12-30', '2026-01-02']);
  });

  it('reads no date the request does not settle: no year, a year elsewhere, no month by name, a day the month lacks, a relative day', () => {
    expect(dates('May 5 to May 7')).toEqual([]);
    expect(dates('on January 11th; in 2025 we moved')).toEqual([]);
    expect(dates('January 2025 is cold, 11/01/2025 and 2025/01/11 too')).toEqual([]);
    expect(dates('February 30th 2025, or April 31 2024')).toEqual([]);
    expect(dates('next Friday, tomorrow, the 11th')).toEqual([]);
    // Inside a longer word or number it is no date.
    expect(dates('Mayday 12 2025, Jan 112 2025')).toEqual([]);
  });
});
