// esbuild does not bundle workers: as the README says, the package's dist/ goes next to the
// bundle (the worker, its chunks and the wasm are found relative to it), with the page and model.
import { cpSync } from 'node:fs';
cpSync('node_modules/llama-chat/dist', 'dist', { recursive: true, filter: (path) => !path.includes('/types') });
cpSync('index.html', 'dist/index.html');
cpSync('public', 'dist', { recursive: true });
