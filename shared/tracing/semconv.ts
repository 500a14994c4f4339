/**
 * The OpenTelemetry semantic conventions' names these spans use (GenAI, DynamoDB, RPC, errors),
 * copied from @opentelemetry/semantic-conventions 1.45.0, as its README asks of instrumentation
 * libraries for the incubating ones: a minor version of that entry point may change them, and a
 * copy keeps the package's 10 MB out of every install. A test keeps each equal to the package's.
 */
export const ATTR_AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_ENDUSER_PSEUDO_ID = 'enduser.pseudo.id';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_SYSTEM = 'rpc.system';
/** The resource attribute that names the service (stable): `OTEL_SERVICE_NAME`, or the one `startTracing` is given. */
export const ATTR_SERVICE_NAME = 'service.name';
export const DB_SYSTEM_NAME_VALUE_AWS_DYNAMODB = 'aws.dynamodb';
export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat';
export const GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK = 'aws.bedrock';
export const GEN_AI_PROVIDER_NAME_VALUE_OPENAI = 'openai';
