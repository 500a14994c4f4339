import { redact } from '../redaction/index.ts';
import { CAPTURE_CONTENT_ENV } from './constants.ts';

/** Whether the deployer opted in to content in spans (read on each use: tests and local mode flip it). */
export const capturesContent = (env: NodeJS.ProcessEnv = process.env): boolean => env[CAPTURE_CONTENT_ENV]?.toLowerCase() === 'true';

/**
 * Content as a span attribute: through the audit trail's redaction (secret-named keys, secret-looking
 * strings, long strings cut), then JSON. Undefined when content is off, so callers spread it.
 *
 * @example
 * span.setAttributes({ ...contentAttribute(ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, args) });
 */
export const contentAttribute = (name: string, value: unknown, env: NodeJS.ProcessEnv = process.env): Record<string, string> =>
  capturesContent(env) ? { [name]: JSON.stringify(redact(value, { maxString: 1024 })) ?? 'null' } : {};
