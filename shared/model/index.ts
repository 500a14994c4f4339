export { BedrockConverseProvider } from './bedrock-converse-provider.ts';
export { fromConverseResponse, toConverseRequest, type ConverseRequestBody } from './bedrock-converse.ts';
export type { ConversationMessage, ModelProvider, ModelRequest, ModelTurn, StopReason, ToolCallRequest } from './conversation.ts';
export { ModelError, ModelProviderError, ModelResponseInvalidError, ModelThrottledError, ScriptExhaustedError } from './errors.ts';
export { OpenAiChatProvider, type OpenAiChatProviderOptions } from './openai-chat-provider.ts';
export { fromChatCompletionsResponse, toChatCompletionsRequest, type ChatCompletionsBody } from './openai-chat.ts';
export { modelScriptSchema, ScriptedModel, type ModelScript } from './scripted-model.ts';
export { TOKEN_LIMIT_FIELDS, type TokenLimitField } from './openai-chat.ts';
export { DEFAULT_MAX_ANSWER_TOKENS, MIN_ANSWER_TOKENS, PROMPT_OVERHEAD_TOKENS, promptTokenBound } from './model-call-ceiling.ts';
