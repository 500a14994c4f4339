export { isSecretKey, passesLuhn } from './patterns.ts';
export { redact, REDACTED, redactString, type RedactOptions } from './redact.ts';
