import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Where AgentDojo's data is shipped, as it was published (see ../NOTICE.md). */
export const DATA_DIR = join(import.meta.dirname, '..', 'data');

const readYaml = (folder: string, file: string): unknown =>
  parse(readFileSync(join(folder, file), 'utf8'), {
    // Workspace's environment pulls its inbox, calendar and drive in from files beside it.
    customTags: [{ tag: '!include', resolve: (path: string) => readYaml(folder, path) }],
  });

/**
 * Each injection vector's benign text. AgentDojo splices these into a double-quoted YAML string, so
 * their escapes (`\t`, `\n`) are read as YAML reads them there.
 */
export const vectorDefaults = (suite: string): Record<string, string> => {
  const vectors = readYaml(join(DATA_DIR, suite), 'injection_vectors.yaml') as Record<string, { default: string }>;
  return Object.fromEntries(Object.entries(vectors).map(([name, vector]) => [name, parse(`"${vector.default}"`) as string]));
};

/**
 * A suite's environment with each `{vector}` placeholder filled with its text (the default's, or an
 * attack's). The tree is parsed first and the strings filled after, so no text can change its shape.
 */
const parsed = new Map<string, unknown>();

export const loadEnvironment = (suite: string, vectors: Readonly<Record<string, string>>): unknown => {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replaceAll(/\{(\w+)\}/g, (match, name: string) => vectors[name] ?? match);
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [fill(k), fill(v)]));
    return node;
  };
  // Parsed once per suite; `fill` builds a fresh tree for every world.
  if (!parsed.has(suite)) parsed.set(suite, readYaml(join(DATA_DIR, suite), 'environment.yaml'));
  return fill(parsed.get(suite));
};
