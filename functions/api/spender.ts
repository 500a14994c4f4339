import { needsTenant, type SpendBudgets, type Spender, tenantOf } from '../../shared/budgets/index.ts';
import type { ToolFailure } from '../../shared/tool-result/index.ts';
import type { Identity } from './api-types.ts';

/**
 * Who spends for a caller under the deployment's budgets: the user, and the tenant where budgets are
 * kept per tenant. Undefined when budgets are kept per tenant and the token names none: such a
 * caller cannot spend at all (fails closed).
 */
export const spenderOf = (identity: Identity, budgets: SpendBudgets | undefined): Spender | undefined => {
  const tenant = tenantOf(budgets?.tenant, identity);
  if (needsTenant(budgets) && tenant === undefined) return undefined;
  return { user: identity.userId, ...(tenant === undefined ? {} : { tenant }) };
};

/** Where the deployment looks for a caller's tenant, for the message that says none was found. */
export const tenantSourceText = (budgets: SpendBudgets | undefined): string => {
  const source = budgets?.tenant;
  return source && 'groupPrefix' in source ? `a group starting "${source.groupPrefix}"` : `the claim "${source?.claim ?? ''}"`;
};

/** The failure a caller without a tenant gets where budgets are kept per tenant. */
export const NO_TENANT: ToolFailure = {
  code: 'PERMISSION_DENIED',
  message: 'This deployment keeps budgets per tenant, and your token names no tenant.',
  suggestion: 'Ask an admin to add you to a tenant.',
  retryable: false,
};
