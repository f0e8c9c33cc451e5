// An answer in words ({"content": "…"}) cut off by max_tokens or stop() is still an answer:
// its words are read from the unfinished JSON, as far as they go.

const OPENING = /^\s*\{\s*"content"\s*:\s*"/;

/** The text of a `{"content": "…` answer cut off anywhere; undefined when it is not one. */
export function partialContent(json: string): string | undefined {
  const opening = OPENING.exec(json);
  if (!opening) return undefined;
  let raw = '';
  for (let i = opening[0].length; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"') break;
    if (c === '\\') {
      const escape = /^\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/.exec(json.slice(i));
      if (!escape) break; // an escape cut in half
      raw += escape[0];
      i += escape[0].length - 1;
    } else {
      raw += c;
    }
  }
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}
