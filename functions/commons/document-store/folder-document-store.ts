import { open, realpath, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { unsafePathReason } from '#shared/argument-types/safe-path.ts';
import type { DocumentStore } from './document-store.ts';

/**
 * Documents in a folder (local mode). The path was validated by the schema; it is checked again
 * here, and the real path (symlinks resolved) must still be inside the root.
 */
export class FolderDocumentStore implements DocumentStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async read(path: string, maxBytes: number) {
    const file = await this.#locate(path);
    if (!file) return undefined;
    const handle = await open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return undefined;
      const size = stat.size;
      const buffer = Buffer.alloc(Math.min(size, maxBytes));
      await handle.read(buffer, 0, buffer.length, 0);
      return { text: buffer.toString('utf8'), bytes: size, truncated: size > maxBytes };
    } finally {
      await handle.close();
    }
  }

  async delete(path: string): Promise<boolean> {
    const file = await this.#locate(path);
    if (!file) return false;
    await unlink(file);
    return true;
  }

  async #locate(path: string): Promise<string | undefined> {
    if (unsafePathReason(path) !== undefined) throw new Error('unsafe document path reached the store');
    const root = await realpath(this.#root);
    let real: string;
    try {
      real = await realpath(resolve(root, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (!real.startsWith(root + sep)) throw new Error('document path resolved outside the root');
    return real;
  }
}
