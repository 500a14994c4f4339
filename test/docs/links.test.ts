import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// The README and docs link to each other and into the code: a relative link to a file that moved,
// or to a heading that was renamed, fails here (GitHub's own heading anchors, by github-slugger).

/** The Markdown a newcomer reads: the README, the changelog, docs/ and the examples' pages. */
const pages = (): string[] => {
  const inFolder = (folder: string): string[] =>
    readdirSync(join(REPO_ROOT, folder)).flatMap((name) => {
      const path = join(folder, name);
      if (name === 'node_modules' || name === 'reports') return [];
      if (statSync(join(REPO_ROOT, path)).isDirectory()) return inFolder(path);
      return name.endsWith('.md') ? [path] : [];
    });
  return ['README.md', 'CHANGELOG.md', ...inFolder('docs'), ...inFolder('examples')];
};

/** A page's text outside fenced code blocks (a link or heading shown as code is neither). */
const prose = (text: string): string => text.replaceAll(/^```[\s\S]*?^```/gm, '');

/** The anchors GitHub gives a page's headings. */
const anchorsOf = (path: string): Set<string> => {
  const slugger = new GithubSlugger();
  const headings = prose(readFileSync(join(REPO_ROOT, path), 'utf8')).match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((heading) => slugger.slug(heading.replace(/^#+ /, '').replaceAll(/`/g, ''))));
};

/** Each relative link of a page: its target path (the page itself when only an anchor) and anchor. */
const linksOf = (path: string): Array<{ readonly target: string; readonly anchor?: string; readonly written: string }> =>
  [
    ...prose(readFileSync(join(REPO_ROOT, path), 'utf8'))
      .replaceAll(/`[^`\n]*`/g, '')
      .matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g),
  ]
    .map((match) => match[1] as string)
    .filter((written) => !/^[a-z][a-z0-9+.-]*:/i.test(written))
    .map((written) => {
      const [file, anchor] = written.split('#') as [string, string | undefined];
      const target = file === '' ? path : relative(REPO_ROOT, join(REPO_ROOT, dirname(path), decodeURIComponent(file)));
      return { target, written, ...(anchor ? { anchor } : {}) };
    });

describe('the docs’ links', () => {
  const all = pages();

  it('are found on every page (the check reads them)', () => {
    expect(all).toEqual(expect.arrayContaining(['README.md', 'docs/testing.md', 'examples/agentdojo/README.md']));
    expect(linksOf('README.md').length).toBeGreaterThan(5);
  });

  it.each(all)('%s: every relative link reaches its file, and its heading', (page) => {
    const dead = linksOf(page).flatMap(({ target, anchor, written }) => {
      if (!existsSync(join(REPO_ROOT, target))) return [`${written}: no file ${target}`];
      if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) return [`${written}: no heading #${anchor} in ${target}`];
      return [];
    });
    expect(dead).toEqual([]);
  });

  it('tells a dead link and a dead anchor from live ones', () => {
    const slugger = new GithubSlugger();
    expect(slugger.slug('Fault simulation')).toBe('fault-simulation');
    expect(anchorsOf('docs/testing.md').has('fault-simulation')).toBe(true);
    expect(anchorsOf('docs/testing.md').has('no-such-heading')).toBe(false);
  });

  it('reach every page of docs/ from its index, docs/README.md', () => {
    const linked = new Set(linksOf('docs/README.md').map(({ target }) => target));
    const unlisted = readdirSync(join(REPO_ROOT, 'docs'))
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => `docs/${name}`)
      .filter((page) => !linked.has(page));
    expect(unlisted).toEqual([]);
  });
});
