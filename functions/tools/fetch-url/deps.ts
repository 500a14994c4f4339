import type { CreateDeps } from '../../commons/tool-deps.ts';

export const createDeps: CreateDeps<{ fetch: typeof fetch }, 'fetch'> = (_env, { fetch }) => ({ fetch });
