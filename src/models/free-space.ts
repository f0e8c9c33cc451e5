// After quota-exceeded: which stored models could be deleted to make room, chosen by the
// person. Nothing is deleted before they confirm; models this chat does not use are listed
// but not chosen for them (another chat on the site may need them).
import type { CachedModel, ModelRecord, StorageEstimate } from '../../protocol/types.js';

export interface StoredChoice {
  id: string;
  label: string;
  bytes: number;
  /** A model of this chat's own list (not the one it is loading). */
  ours: boolean;
  /** Loaded in another tab of the site right now: it cannot be deleted from here. */
  inUse: boolean;
  chosen: boolean;
}

export interface FreeSpacePlan {
  /** Bytes that must be freed; undefined when the model's size is not known. */
  shortBy: number | undefined;
  choices: StoredChoice[];
}

/**
 * The plan for loading `record`: every other stored model, this chat's own chosen first (least
 * recently used first). `shortBy` counts what the record still needs beyond the free space.
 */
export function planFreeSpace(
  record: ModelRecord | undefined,
  ownModels: readonly ModelRecord[],
  stored: readonly CachedModel[],
  { usage, quota }: StorageEstimate,
): FreeSpacePlan {
  const partial = stored.find((m) => m.id === record?.id)?.bytes ?? 0;
  const shortBy = record?.sizeBytes === undefined ? undefined : record.sizeBytes - partial - Math.max(0, quota - usage);
  const choices = stored
    .filter((m) => m.id !== record?.id)
    .sort((a, b) => a.lastUsed - b.lastUsed)
    .map((m) => {
      const own = ownModels.find((r) => r.id === m.id);
      const inUse = m.inUse === true;
      return { id: m.id, label: own?.label ?? m.id, bytes: m.bytes, ours: own !== undefined, inUse, chosen: own !== undefined && !inUse };
    })
    .sort((a, b) => Number(b.ours) - Number(a.ours)); // stable: least recently used first within each
  return { shortBy, choices };
}

export function chosenBytes(plan: FreeSpacePlan): number {
  return plan.choices.reduce((sum, c) => sum + (c.chosen ? c.bytes : 0), 0);
}

/** Whether deleting every listed model could make enough room (true when the need is unknown). */
export function canMakeRoom(plan: FreeSpacePlan): boolean {
  return plan.shortBy === undefined || plan.choices.reduce((sum, c) => sum + (c.inUse ? 0 : c.bytes), 0) >= plan.shortBy;
}

/** Whether the chosen models free enough (true when the need is unknown and something is chosen). */
export function choiceIsEnough(plan: FreeSpacePlan): boolean {
  const chosen = chosenBytes(plan);
  return chosen > 0 && (plan.shortBy === undefined || chosen >= plan.shortBy);
}
