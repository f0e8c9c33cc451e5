// Serves a built app's folder as its own site (at the root of its own origin, as users deploy).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.gguf': 'application/octet-stream',
};

/**
 * Starts a server for `root` on `port` (loopback only); resolves with a function that stops it.
 * `csp` is sent with HTML pages only, as many servers do.
 */
export function serveFolder(root: string, port: number, { csp }: { csp?: string } = {}): Promise<() => Promise<void>> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    if (csp && extname(file) === '.html') res.setHeader('Content-Security-Policy', csp);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  // Stopping ends every connection: close() alone waits for the browser's, which a page may keep
  // open as long as it likes (it once kept a test waiting until its 10-minute timeout).
  const stop = () =>
    new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve(stop));
  });
}
