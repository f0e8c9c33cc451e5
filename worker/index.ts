// The worker's entry point: the engine host, exposed with comlink. Engines and their megabytes
// load here, never on the page's main thread.
import { expose } from 'comlink';
import { installErrorTransfer } from '../protocol/error-transfer.js';
import { createEngineHost } from './engine-host.js';
import { watchPolicyRefusals } from './policy-refusals.js';
import { trustBlobWorkers } from './trusted-types.js';

installErrorTransfer();
trustBlobWorkers();
watchPolicyRefusals();
expose(createEngineHost());
