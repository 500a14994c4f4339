export { isSecretKey, passesLuhn } from './patterns.ts';
export { collectSecretValues, redact, REDACTED, redactString, type RedactOptions } from './redact.ts';
