// Sampling settings as the page gave them: a value the engine cannot use is refused with
// `bad-input` naming the attribute and the value, instead of reaching llama.cpp as NaN.
import { LlamaChatError } from '../../protocol/errors.js';

export interface SamplingSettings {
  temperature: number | undefined;
  maxTokens: number | undefined;
}

/** The attribute's text as written, for the message (the property holds a parsed number). */
export type AttributeReader = (name: string) => string | null;

/** The rules; `contextLength` bounds max-tokens (an answer cannot outgrow the model's window). */
function rules(contextLength: number) {
  return [
    {
      key: 'temperature',
      attribute: 'temperature',
      valid: (v: number) => Number.isFinite(v) && v >= 0 && v <= 2,
      expect: 'a number from 0 to 2',
    },
    {
      key: 'maxTokens',
      attribute: 'max-tokens',
      valid: (v: number) => Number.isInteger(v) && v >= 1 && v <= contextLength,
      expect: `a whole number from 1 to ${contextLength} (this model's context window)`,
    },
  ] as const;
}

/** The first invalid setting as a `bad-input` error, or undefined when all are usable. */
export function checkSampling(
  settings: SamplingSettings,
  attribute: AttributeReader = () => null,
  contextLength = Number.MAX_SAFE_INTEGER,
): LlamaChatError | undefined {
  for (const rule of rules(contextLength)) {
    const value = settings[rule.key];
    if (value === undefined || rule.valid(value)) continue;
    const written = attribute(rule.attribute) ?? String(value);
    return new LlamaChatError(
      'bad-input',
      `${rule.attribute}="${written}" is not valid: use ${rule.expect}, or leave it out for the model's default.`,
    );
  }
  return undefined;
}
