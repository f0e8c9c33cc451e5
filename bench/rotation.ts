// Side-by-side rounds: every contestant runs once per round, in an order that rotates from round
// to round, so machine noise (and whatever the one before leaves behind) hits them all alike.

/** Runs `run` once for each key, starting with key number `round` (mod their count); the results by key. */
export async function roundInTurn<K extends string, V>(
  keys: readonly K[],
  round: number,
  run: (key: K) => Promise<V>,
): Promise<Record<K, V>> {
  const results: Partial<Record<K, V>> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[(i + round) % keys.length]!;
    results[key] = await run(key);
  }
  return results as Record<K, V>;
}
