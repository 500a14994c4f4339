import { FlowMode, isFlowMode } from '../../shared/guards/index.ts';

/** The variable naming the mode (FunctionEnv.INFORMATION_FLOW): its own constant, so tool bundles leave the whole FunctionEnv table out. */
export const INFORMATION_FLOW_ENV = 'INFORMATION_FLOW';

/**
 * The deployment's information-flow mode from a function's environment: absent is the default
 * (`approve`); anything else but a known mode fails the cold start, never weakens the check.
 */
export const flowModeFrom = (env: Readonly<Record<string, string | undefined>>): FlowMode => {
  const value = env[INFORMATION_FLOW_ENV];
  if (value === undefined) return FlowMode.APPROVE;
  if (!isFlowMode(value)) throw new Error(`${INFORMATION_FLOW_ENV} must be one of ${Object.values(FlowMode).join(', ')}; got "${value}"`);
  return value;
};
