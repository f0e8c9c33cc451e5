// How attribute text becomes the element's property values.
import { parseModelsAttribute } from './models-attribute.js';

/** A number attribute; absent or not a number → undefined (the engine default). */
export const optionalNumber = {
  fromAttribute: (value: string | null) => (value === null || value.trim() === '' ? undefined : Number(value)),
};

/** `models` as a JSON list of records; text that is not one is kept as a problem to report. */
export const modelsAttribute = { fromAttribute: parseModelsAttribute };
