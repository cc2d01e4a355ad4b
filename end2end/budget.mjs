// Size budget: prints what a phone downloads for the home page's first load, as the release server
// actually serves it (brotli), plus the release WASM's raw and brotli sizes. A figure, not a gate.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const port = Number(process.env.LINLI_BUDGET_PORT ?? 3190);
const bin = path.join(root, 'target/release/linli');
const pkgDir = path.join(root, 'target/site/pkg');

function get(urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers: { 'accept-encoding': 'br, gzip' } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? 'identity', body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
  });
}

async function waitHealthy() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await get('/healthz')).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('release server did not become healthy');
}

if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run cargo leptos build --release first`);
const wasmFile = fs.readdirSync(pkgDir).find((f) => f.endsWith('.wasm'));
if (!wasmFile) throw new Error(`no .wasm in ${pkgDir}`);
const wasmRaw = fs.readFileSync(path.join(pkgDir, wasmFile));
const wasmBr = zlib.brotliCompressSync(wasmRaw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-budget-'));
const server = spawn(bin, ['serve'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    LINLI_ADDR: `127.0.0.1:${port}`,
    LINLI_DATABASE_URL: `sqlite://${tmp}/budget.db`,
    LINLI_DEMO: 'true',
    LINLI_LOG: 'warn',
    LINLI_CONFIG: '/dev/null',
  },
});
try {
  await waitHealthy();
  const html = await get('/');
  if (html.status !== 200) throw new Error(`home page answered ${html.status}`);
  const text = zlib.brotliDecompressSync(html.body).toString();
  const asset = (re) => {
    const m = text.match(re);
    if (!m) throw new Error(`home page does not reference ${re}`);
    return m[1];
  };
  const files = {
    css: asset(/<link rel="stylesheet" href="([^"]+\.css)"/),
    js: asset(/<link rel="modulepreload" href="([^"]+\.js)"/),
    wasm: asset(/<link rel="preload" href="([^"]+\.wasm)"/),
  };
  const rows = [['html', '/', html.body.length, html.encoding]];
  for (const [kind, url] of Object.entries(files)) {
    const res = await get(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    rows.push([kind, url, res.body.length, res.encoding]);
  }
  const total = rows.reduce((sum, r) => sum + r[2], 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = [
    `budget: release wasm ${wasmFile}: raw ${wasmRaw.length} B (${kb(wasmRaw.length)}), brotli-11 ${wasmBr.length} B (${kb(wasmBr.length)})`,
    ...rows.map(([k, u, n, e]) => `budget: home first load ${k.padEnd(4)} ${String(n).padStart(8)} B  ${e.padEnd(8)} ${u}`),
    `budget: home first load total ${total} B (${kb(total)}) compressed, HTML + CSS + JS + WASM`,
  ];
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(root, 'target/budget.txt'), lines.join('\n') + '\n');
} finally {
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
