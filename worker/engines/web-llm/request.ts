// Our engine request in web-llm's terms. JSON output goes to xgrammar as web-llm's
// `response_format: { type: 'json_object', schema }` (a schema string); tools never reach it:
// web-llm takes `tools` for a few Hermes builds only, so they arrive here already planned as a
// schema (worker/structured/).
import type { ChatCompletionRequestStreaming, ResponseFormat } from '@mlc-ai/web-llm';
import type { EngineRequest } from '../engine.js';

export function toWebLlmRequest(request: EngineRequest): ChatCompletionRequestStreaming {
  const format = request.response_format;
  const responseFormat: ResponseFormat | undefined =
    format?.type === 'json_schema'
      ? { type: 'json_object', schema: JSON.stringify(format.json_schema.schema ?? {}) }
      : format?.type === 'json_object'
        ? { type: 'json_object' }
        : undefined;
  return {
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    temperature: request.temperature,
    top_p: request.top_p,
    max_tokens: request.max_tokens,
    seed: request.seed,
    ...(responseFormat ? { response_format: responseFormat } : {}),
  };
}
