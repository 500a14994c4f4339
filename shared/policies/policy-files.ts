import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicySource } from './policy-set.ts';

/** Every `*.cedar` file under a folder (its subfolders too), in a stable order, named by its path. */
export const readPolicyFiles = (dir: string): PolicySource[] => {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`Policies: ${dir} is not a folder of .cedar files`);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.cedar'))
    .sort()
    .map((name) => ({ file: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }));
};
