import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { Identity } from '../../functions/api/api-types.ts';

const usersSchema = z
  .array(
    z.strictObject({
      token: z.string().check(z.minLength(8), z.maxLength(200)),
      userId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/)),
      groups: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(16)),
      /** Other claims of the token (a tenant claim, for budgets per tenant). */
      claims: z.optional(z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(256)))),
    }),
  )
  .check(z.minLength(1), z.maxLength(1000));
/** One local identity: the bearer token that stands for it, its user id and groups, and other claims of its token. */
export interface LocalUser {
  readonly token: string;
  readonly userId: string;
  readonly groups: string[];
  /** Other claims of the token (a tenant claim, for budgets per tenant). */
  readonly claims?: Record<string, string> | undefined;
}

export const DEFAULT_USERS_FILE = join(import.meta.dirname, 'local-users.json');

/** The local stand-in for Cognito: bearer tokens from a users file (`LOCAL_USERS_FILE`), checked once at start. */
export const loadLocalUsers = (file = process.env.LOCAL_USERS_FILE ?? DEFAULT_USERS_FILE): LocalUser[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the local users file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const users = z.safeParse(usersSchema, parsed);
  if (!users.success) throw new Error(`The local users file ${file} must be a JSON array of { "token", "userId", "groups": [...] }`);
  if (new Set(users.data.map((u) => u.token)).size !== users.data.length) throw new Error(`The local users file ${file} has a token twice`);
  return users.data;
};

/** The identity behind an `Authorization: Bearer <token>` header, or undefined. */
export const identityFrom = (users: readonly LocalUser[], authorization: string | undefined): Identity | undefined => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const user = token === undefined ? undefined : users.find((u) => u.token === token);
  return user ? { userId: user.userId, groups: user.groups, ...(user.claims ? { claims: user.claims } : {}) } : undefined;
};
