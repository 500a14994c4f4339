/**
 * The OpenTelemetry SDK side of tracing: starting it in a process (`startTracing`), the OTLP
 * exporter the standard variables ask for, and X-Ray's OTLP endpoint signed with SigV4. Its
 * packages are optional peer dependencies (shared/optional-peers, `tracing`): only what traces
 * loads this surface, so a function without tracing needs none of them installed.
 */
export { TracingConfigError } from './errors.ts';
export { OtlpProtocol, otlpExporterFromEnv, startTracing, type Tracing, type TracingOptions } from './start-tracing.ts';
export { credentialsFromEnv, XRayOtlpExporter, type AwsCredentials, type XRayOtlpExporterOptions } from './xray-exporter.ts';
