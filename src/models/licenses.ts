// Model licenses: those of the built-in Llama models, and the check of a license a page's record
// carries. Its links end up in the view, so only http(s) URLs pass.
import type { ModelLicense } from '../../protocol/types.js';

const LLAMA_MODELS = 'https://github.com/meta-llama/llama-models/blob/main/models';

// Each Llama license asks for "Built with Llama" on the site, a copy of the license and this
// Notice text with the model, and use within its Acceptable Use Policy.
function llamaLicense(version: '3.1' | '3.2'): ModelLicense {
  const folder = `${LLAMA_MODELS}/llama${version.replace('.', '_')}`;
  const name = `Llama ${version} Community License`;
  return {
    name,
    url: `${folder}/LICENSE`,
    acceptableUseUrl: `${folder}/USE_POLICY.md`,
    attribution: 'Built with Llama',
    notice: `Llama ${version} is licensed under the ${name}, Copyright © Meta Platforms, Inc. All Rights Reserved.`,
  };
}

/** The license of the built-in Llama 3.1 8B models. */
export const LLAMA_3_1_LICENSE: Readonly<ModelLicense> = Object.freeze(llamaLicense('3.1'));
/** The license of the built-in Llama 3.2 1B model (the CPU fallback). */
export const LLAMA_3_2_LICENSE: Readonly<ModelLicense> = Object.freeze(llamaLicense('3.2'));

/** `url` resolved against the page, if it is http(s); anything else (javascript:, data:, not a URL) is no link. */
export function webUrl(url: unknown, base = globalThis.document?.baseURI ?? 'https://localhost/'): URL | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why `license` (a record's, from the page) cannot be used, or undefined when it can. */
export function licenseProblem(license: unknown): string | undefined {
  if (typeof license !== 'object' || license === null || Array.isArray(license))
    return 'has a "license" that is not an object like { "name": "…", "url": "https://…" }';
  const { name, url, acceptableUseUrl, attribution, notice } = license as Record<string, unknown>;
  if (typeof name !== 'string' || !name.trim()) return 'has a "license" with no "name"';
  if (!webUrl(url)) return 'has a "license" whose "url" is not an http(s) link to the license text';
  if (acceptableUseUrl !== undefined && !webUrl(acceptableUseUrl)) return 'has a "license" whose "acceptableUseUrl" is not an http(s) link';
  if (attribution !== undefined && typeof attribution !== 'string') return 'has a "license" whose "attribution" is not text';
  if (notice !== undefined && typeof notice !== 'string') return 'has a "license" whose "notice" is not text';
  return undefined;
}
