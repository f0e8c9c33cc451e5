// A page that enforces Trusted Types enforces them in the engine worker too (it inherits the
// page's policy). wllama starts llama.cpp's worker with `new Worker(blobUrl)`, a plain string
// the policy refuses; in this worker's own realm, give `blob:` URLs made here the library's
// policy on their way into `Worker`. Nothing outside this worker is touched.
import { POLICY_NAME } from '../protocol/trusted-types.js';

export function trustBlobWorkers(): void {
  const factory = self.trustedTypes;
  if (!factory) return;
  let policy: Pick<TrustedTypePolicy, 'createScriptURL'>;
  try {
    policy = factory.createPolicy(POLICY_NAME, {
      createScriptURL: (url: string) => {
        if (!url.startsWith('blob:')) throw new TypeError(`${POLICY_NAME} vouches only for blob: workers`);
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
