import type { Article } from './knowledge-base-store.ts';

export interface SearchHit {
  readonly title: string;
  readonly snippet: string;
  readonly url: string;
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'for',
  'is',
  'are',
  'how',
  'do',
  'i',
  'my',
  'what',
  'can',
  'with',
]);

export const terms = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1 && !STOP_WORDS.has(t));

/** Term-frequency ranking, title matches weighted x3. Plain string work: the query is data, never a pattern. */
export const rankArticles = (articles: readonly Article[], query: string, limit = 5): SearchHit[] => {
  const wanted = [...new Set(terms(query))];
  if (wanted.length === 0) return [];
  return articles
    .map((article) => {
      const title = terms(article.title);
      const body = terms(article.body);
      const score = wanted.reduce((sum, t) => sum + 3 * title.filter((w) => w === t).length + body.filter((w) => w === t).length, 0);
      return { article, score };
    })
    .filter((scored) => scored.score > 0)
    .sort((a, b) => b.score - a.score || a.article.title.localeCompare(b.article.title))
    .slice(0, limit)
    .map(({ article }) => ({ title: article.title, snippet: snippetOf(article.body, wanted), url: article.url }));
};

const snippetOf = (body: string, wanted: readonly string[]): string => {
  const lower = body.toLowerCase();
  const at = Math.min(...wanted.map((t) => lower.indexOf(t)).filter((i) => i >= 0), body.length);
  const start = Math.max(0, (at === body.length ? 0 : at) - 40);
  const text = body.slice(start, start + 160).trim();
  return `${start > 0 ? '…' : ''}${text}${start + 160 < body.length ? '…' : ''}`;
};
