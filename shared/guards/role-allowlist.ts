import { type AnyTool, rolesOf } from '../tool/index.ts';
import { allow, deny, type GuardVerdict } from './verdict.ts';

/** A tool is usable when one of the caller's roles is among the tool's roles. Unknown groups grant nothing. */
export const roleAllowlist = (tool: Pick<AnyTool, 'name' | 'roles'>, groups: readonly string[]): GuardVerdict<undefined> => {
  const roles = rolesOf(groups);
  return roles.some((role) => tool.roles.includes(role))
    ? allow(undefined)
    : deny(`${tool.name} is not available to role(s) ${roles.length > 0 ? roles.join(', ') : '(none)'}`);
};
