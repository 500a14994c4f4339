import { defaultRolesFor } from '../../roles.ts';
import type { LintRule } from '../types.ts';

export const rolesMatchRisk: LintRule = ({ tool }) => {
  const allowed = new Set(defaultRolesFor[tool.risk]);
  const extra = tool.roles.filter((role) => !allowed.has(role));
  if (tool.roles.length === 0) return ['roles is empty: no one could use the tool; remove the tool or name a role'];
  return extra.length === 0
    ? []
    : [
        `roles ${extra.join(', ')} may not use a ${tool.risk} tool (allowed: ${[...allowed].join(', ')}): narrow roles or raise the risk class`,
      ];
};
