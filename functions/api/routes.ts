import type { Route } from './api-deps.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { auditRoutes } from './routes/audit.ts';
import { runRoutes } from './routes/runs.ts';
import { serviceRoutes } from './routes/service.ts';
import { userRoutes } from './routes/users.ts';

export type { ApiDeps, AuthenticatedRequest, Route } from './api-deps.ts';

/**
 * Every route of DESIGN.md, one file per resource under routes/. The router takes the first route
 * whose pattern and method match (no two share both), and answers 405 with the methods a known path takes.
 */
export const routes: readonly Route[] = [...serviceRoutes, ...runRoutes, ...userRoutes, ...auditRoutes, ...approvalRoutes];
