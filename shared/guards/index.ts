export { argumentSize, type ArgumentSizeLimits } from './argument-size.ts';
export { roleAllowlist } from './role-allowlist.ts';
export { toolArguments } from './tool-arguments.ts';
export { allow, deny, type GuardVerdict } from './verdict.ts';
