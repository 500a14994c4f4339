export { GuardedAgent, type GuardedAgentProps } from './guarded-agent.ts';
export { ToolFunction, type GuardTableSet, type ToolFunctionProps } from './tool-function.ts';
