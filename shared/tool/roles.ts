/**
 * Roles come from the identity provider's groups (Cognito groups deployed, the users file
 * locally), never from a request body or from model output.
 */
export const Role = {
  USER: 'user',
  OPERATOR: 'operator',
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** The group that may decide approvals. Not a role: it grants no tool. */
export const APPROVER_GROUP = 'approver';

/**
 * A tool's risk class: `read`, `write` or `destructive` (a destructive call always waits for a
 * person).
 */
export const RiskClass = {
  READ: 'read',
  WRITE: 'write',
  DESTRUCTIVE: 'destructive',
} as const;
export type RiskClass = (typeof RiskClass)[keyof typeof RiskClass];

/** Who may use a tool of each risk class unless the declaration narrows it. */
export const defaultRolesFor: Readonly<Record<RiskClass, readonly Role[]>> = {
  read: [Role.USER, Role.OPERATOR, Role.ADMIN],
  write: [Role.OPERATOR, Role.ADMIN],
  destructive: [Role.ADMIN],
};

const knownRoles: ReadonlySet<string> = new Set(Object.values(Role));

/** The roles among a caller's groups; unknown groups grant nothing. */
export const rolesOf = (groups: readonly string[]): Role[] => groups.filter((g): g is Role => knownRoles.has(g));
