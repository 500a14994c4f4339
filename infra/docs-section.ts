import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes a generated section of a Markdown page between `<!-- name:start -->` and
 * `<!-- name:end -->`, leaving the rest of the page as it is: figures live in the sections their
 * own runs write (`npm run bench`, `npm run sim`), each stamped with the run that made it. A page
 * without the markers gets the section at its end.
 */
export const writeDocSection = (file: string, name: string, body: string): void => {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = readFileSync(file, 'utf8');
  const section = `${start}\n${body.trim()}\n${end}`;
  const at = doc.indexOf(start);
  const after = doc.indexOf(end);
  writeFileSync(
    file,
    at < 0 || after < at ? `${doc.trimEnd()}\n\n${section}\n` : `${doc.slice(0, at)}${section}${doc.slice(after + end.length)}`,
  );
};

/** Every generated section of a page (`<!-- name:start -->` to `<!-- name:end -->`), to keep when the page around them is written anew. */
export const docSections = (text: string): string[] =>
  [...text.matchAll(/<!-- ([a-z0-9-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]);
