// The `models` attribute: a JSON list of model records, for pages without script and for
// frameworks that set attributes (React before the element is defined sets "[object Object]").
import { isEngineKind } from '../../protocol/engines.js';
import type { ModelRecord } from '../../protocol/types.js';
import { licenseProblem } from '../models/licenses.js';

/** A `models` value the element cannot use, with what to do about it. */
export class ModelsProblem {
  constructor(readonly message: string) {}
}

export type ModelsValue = ModelRecord[] | ModelsProblem;

const MAX_SHOWN = 60;

/** Parses the attribute; never throws (a framework's setAttribute must not fail). */
export function parseModelsAttribute(text: string | null): ModelsValue {
  if (text === null || text.trim() === '') return [];
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const hint = text.startsWith('[object')
      ? ' A framework set an object as text: pass JSON.stringify(records), or set the models property.'
      : '';
    return new ModelsProblem(`models="${shown}" is not JSON.${hint}`);
  }
  return checkModels(value, `models="${shown}"`);
}

/** The records in `value`, or the first reason they cannot be used. */
export function checkModels(value: unknown, where = 'models'): ModelsValue {
  if (!Array.isArray(value))
    return new ModelsProblem(
      `${where} must be a list of model records, like [{ "id": "my-model", "engine": "wllama", "url": "/models/my-model.gguf" }].`,
    );
  for (const [index, record] of value.entries()) {
    const problem = recordProblem(record);
    if (problem) return new ModelsProblem(`${where}: record ${index + 1} ${problem}.`);
  }
  return value as ModelRecord[];
}

function recordProblem(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return 'is not an object';
  const { id, engine, url, license } = record as Record<string, unknown>;
  if (typeof id !== 'string' || !id) return 'has no "id"';
  if (!isEngineKind(engine)) return `("${id}") needs "engine": "wllama" or "web-llm"`;
  if (typeof url !== 'string' || !url) return `("${id}") has no "url"`;
  const licensed = license === undefined ? undefined : licenseProblem(license);
  if (licensed) return `("${id}") ${licensed}`;
  return undefined;
}

/**
 * The `models` property as the session takes it: the usable records, or why there are none.
 * Text is read as the attribute is: React 19 sets the same JSX prop as an attribute before the
 * element is defined and as this property after, so `models={JSON.stringify(records)}` works both ways.
 */
export function modelsSetting(value: unknown): { models: ModelRecord[]; modelsProblem: string | undefined } {
  const checked = value instanceof ModelsProblem ? value : typeof value === 'string' ? parseModelsAttribute(value) : checkModels(value);
  return checked instanceof ModelsProblem ? { models: [], modelsProblem: checked.message } : { models: checked, modelsProblem: undefined };
}
