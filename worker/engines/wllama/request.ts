// Our engine request in wllama's terms: JSON output as a llama.cpp grammar of our own (see
// schema-grammar.ts for why not wllama's `response_format`).
import type { EngineRequest } from '../engine.js';
import { schemaToGrammar } from './schema-grammar.js';

export function toWllamaGrammar(request: EngineRequest): string | undefined {
  const format = request.response_format;
  if (format?.type === 'json_schema') return schemaToGrammar(format.json_schema.schema ?? true);
  if (format?.type === 'json_object') return schemaToGrammar({ type: 'object' });
  return undefined;
}
