import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

describe('docs/layout.md', () => {
  it('names every folder of shared/, functions/ and infra/ (a new capability is not left out of the map)', () => {
    const layout = readFileSync(join(REPO_ROOT, 'docs', 'layout.md'), 'utf8');
    const folders = ['shared', 'functions', 'infra'].flatMap((top) =>
      readdirSync(join(REPO_ROOT, top), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${top}/${entry.name}`),
    );
    expect(folders.length).toBeGreaterThan(30);
    expect(folders.filter((folder) => !layout.includes(`${folder.split('/')[1]}/`))).toEqual([]);
  });
});
