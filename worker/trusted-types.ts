// A page that enforces Trusted Types enforces them in the engine worker too (it inherits the
// page's policy), and in every worker started from it. wllama starts llama.cpp's worker, and
// llama.cpp its thread workers, with `new Worker(blobUrl)`: a plain string the policy refuses.
// In each of these realms, `blob:` URLs get the library's policy on their way into `Worker`.
// Nothing outside the library's own workers is touched.
import { POLICY_NAME } from '../protocol/trusted-types.js';

/**
 * Installs the policy and the `Worker` wrapper in the realm it runs in. Self-contained (it
 * refers to nothing outside itself), so its source can start a worker of llama.cpp too.
 */
function trustBlobWorkersHere(policyName: string): void {
  const factory = self.trustedTypes;
  if (!factory || typeof self.Worker !== 'function') return;
  let policy: Pick<TrustedTypePolicy, 'createScriptURL'>;
  try {
    policy = factory.createPolicy(policyName, {
      createScriptURL: (url: string) => {
        if (!url.startsWith('blob:')) throw new TypeError(`${policyName} vouches only for blob: workers`);
        return url;
      },
    });
  } catch {
    return; // the name is not allowed here: the CSP pre-check reports it
  }
  const WorkerBase = self.Worker;
  self.Worker = class extends WorkerBase {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(typeof url === 'string' && url.startsWith('blob:') ? (policy.createScriptURL(url) as unknown as string) : url, options);
    }
  };
}

/** In the engine worker, once, as it starts. */
export function trustBlobWorkers(): void {
  trustBlobWorkersHere(POLICY_NAME);
}

/** The same as a first line of a worker script started here (llama.cpp's, for its threads). */
export const TRUST_BLOB_WORKERS_SOURCE = `(${trustBlobWorkersHere.toString()})(${JSON.stringify(POLICY_NAME)});\n`;
