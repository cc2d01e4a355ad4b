// Size budget: what a phone downloads for each page's first load, as the release server serves it.
// Each page is opened in Chromium (a fresh context: empty cache, no service worker) until it has
// loaded and hydrated; every same-origin file it loaded is then fetched again with
// `accept-encoding: br` and its compressed bytes summed (map tiles are never counted: the tests run
// without a tile provider). Byte sizes are deterministic, so this is a gate, unlike timings:
//   node end2end/budget.mjs          prints the table
//   node end2end/budget.mjs --gate   also fails (exit 1) when a resident page is over its budget
// Lighthouse (mobile, simulated throttling) runs after it with --lighthouse: printed, never a gate.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const port = Number(process.env.LINLI_BUDGET_PORT ?? 3190);
const base = `http://127.0.0.1:${port}`;
const bin = path.join(root, 'target/release/linli');
const pkgDir = path.join(root, 'target/site/pkg');
const gate = process.argv.includes('--gate');
const lighthouse = process.argv.includes('--lighthouse');
const KiB = 1024;
// The budgets: the home page is what every resident opens first.
const HOME_BUDGET = 60 * KiB;
const RESIDENT_BUDGET = 150 * KiB;

function get(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers: { 'accept-encoding': 'br, gzip', ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            type: res.headers['content-type'] ?? '',
            encoding: res.headers['content-encoding'] ?? 'identity',
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

async function waitHealthy() {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await get('/healthz')).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('release server did not become healthy');
}

async function json(urlPath) {
  const res = await get(urlPath, { 'accept-encoding': 'identity' });
  if (res.status !== 200) throw new Error(`${urlPath} answered ${res.status}`);
  return JSON.parse(res.body.toString());
}

const kindOf = (url, type) =>
  url.endsWith('.wasm') ? 'wasm'
    : /javascript/.test(type) || url.endsWith('.js') ? 'js'
      : /css/.test(type) || url.endsWith('.css') ? 'css'
        : /html/.test(type) ? 'html'
          : 'other';

/// Signs the context in as a demo account: the login page shows the one-time code in demo mode.
async function signIn(page, phone) {
  await page.goto(`${base}/login`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await page.getByTestId('demo-code').getAttribute('data-code');
  await page.getByLabel('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/me$/);
}

/// Every same-origin URL the page loads until the network is idle, with its compressed size.
async function measure(browser, label, urlPath, { phone, budget }) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  if (phone) await signIn(page, phone);
  const urls = new Set();
  page.on('request', (r) => {
    const u = new URL(r.url());
    // The live-update stream never ends and is not part of the page's load.
    if (u.origin === base && !u.pathname.startsWith('/events/')) urls.add(u.pathname + u.search);
  });
  // Not `networkidle`: the case page keeps its live-update stream open. Wait for the load, the
  // WASM's hydration marker (if the page has any script), then a second for late requests.
  const res = await page.goto(base + urlPath, { waitUntil: 'load' });
  if (!res || res.status() !== 200) throw new Error(`${urlPath} answered ${res?.status()}`);
  await page.waitForFunction(() => window.__linliHydrated === true, null, { timeout: 30_000 }).catch(() => {});
  await page.waitForTimeout(1000);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await context.close();
  const sizes = { html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  for (const u of urls) {
    const r = await get(u, cookie ? { cookie } : {});
    sizes[kindOf(u, r.type)] += r.body.length;
    if (process.env.LINLI_BUDGET_FILES) console.log(`budget:   ${label} ${(r.body.length / KiB).toFixed(1).padStart(7)} ${u}`);
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  return { label, urlPath, sizes, total, budget, files: urls.size };
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
    LINLI_MEDIA_DIR: `${tmp}/media`,
    LINLI_DEMO: 'true',
    LINLI_LOG: 'warn',
    LINLI_CONFIG: '/dev/null',
  },
});
let failed = false;
try {
  await waitHealthy();
  const cases = await json('/api/v1/cases');
  const code = (Array.isArray(cases) ? cases : cases.items)[0]?.code;
  if (!code) throw new Error('the demo city has no case');
  const vote = (await json('/api/v1/consultations')).find((c) => c.phase === 'vote');
  if (!vote) throw new Error('the demo city has no consultation in its vote');
  const pages = [
    ['home', '/', { budget: HOME_BUDGET }],
    ['report', '/report', { budget: RESIDENT_BUDGET }],
    ['case', `/case/${code}`, { budget: RESIDENT_BUDGET }],
    ['map', '/map', { budget: RESIDENT_BUDGET }],
    ['sorting', '/sorting', { budget: RESIDENT_BUDGET }],
    ['vote', `/consult/${vote.id}`, { budget: RESIDENT_BUDGET }],
    // Staff pages are printed, not gated.
    ['staff', '/staff', { phone: '13900000005' }],
  ];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
  const rows = [];
  try {
    for (const [label, urlPath, opts] of pages) rows.push(await measure(browser, label, urlPath, opts));
  } finally {
    await browser.close();
  }
  const kb = (n) => `${(n / KiB).toFixed(1)}`.padStart(8);
  const lines = [
    `budget: release wasm ${wasmFile}: raw ${wasmRaw.length} B (${(wasmRaw.length / KiB).toFixed(1)} KiB), brotli-11 ${wasmBr.length} B (${(wasmBr.length / KiB).toFixed(1)} KiB)`,
    `budget: first load in KiB, brotli as served`,
    `budget: ${'page'.padEnd(8)} ${'path'.padEnd(28)}${['html', 'css', 'js', 'wasm', 'other', 'total', 'budget'].map((h) => h.padStart(8)).join('')}`,
  ];
  for (const r of rows) {
    const s = r.sizes;
    const over = r.budget !== undefined && r.total > r.budget;
    if (over) failed = true;
    const verdict = r.budget === undefined ? '  (staff: printed)' : `${kb(r.budget)} ${over ? 'OVER' : 'ok'}`;
    lines.push(
      `budget: ${r.label.padEnd(8)} ${r.urlPath.padEnd(28)}${[s.html, s.css, s.js, s.wasm, s.other, r.total].map(kb).join('')}${verdict}`,
    );
  }
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(root, 'target/budget.txt'), lines.join('\n') + '\n');
  if (lighthouse) runLighthouse([['home', '/'], ['report', '/report'], ['case', `/case/${code}`]]);
} finally {
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (failed && gate) {
  console.error('budget: a resident page is over its budget (/ 60 KiB, other resident pages 150 KiB)');
  process.exit(1);
}

/// Lighthouse's mobile preset (simulated throttling) on each page: Performance, TBT, LCP and bytes.
function runLighthouse(targets) {
  const cli = path.join(root, 'node_modules/lighthouse/cli/index.js');
  if (!fs.existsSync(cli)) throw new Error('lighthouse is not installed: run npm ci');
  for (const [label, urlPath] of targets) {
    const out = path.join(tmp, `lh-${label}.json`);
    const run = spawnSync(
      process.execPath,
      [cli, base + urlPath, '--quiet', '--output=json', `--output-path=${out}`, '--only-categories=performance',
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu'],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (run.status !== 0 || !fs.existsSync(out)) {
      console.log(`lighthouse: ${label.padEnd(7)} ${urlPath}: failed to run (exit ${run.status})`);
      continue;
    }
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const a = report.audits;
    const score = Math.round((report.categories.performance.score ?? 0) * 100);
    console.log(
      `lighthouse: ${label.padEnd(7)} ${urlPath.padEnd(28)} performance ${String(score).padStart(3)} · TBT ${Math.round(a['total-blocking-time'].numericValue)} ms · LCP ${Math.round(a['largest-contentful-paint'].numericValue)} ms · ${(a['total-byte-weight'].numericValue / KiB).toFixed(1)} KiB`,
    );
  }
}
