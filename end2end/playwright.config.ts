import { defineConfig } from '@playwright/test';
import * as path from 'path';

// The portal under test: the binary built by `cargo leptos build`, started here on its own port
// with a fresh SQLite file and the demo city, from the workspace root (where target/site lives).
const root = path.resolve(__dirname, '..');
const port = Number(process.env.LINLI_E2E_PORT ?? 3100);
const bin = process.env.LINLI_E2E_BIN ?? 'target/debug/linli';
const dbFile = path.join(root, 'target', 'e2e', `linli-${process.pid}.db`);
const mediaDir = path.join(root, 'target', 'e2e', `media-${process.pid}`);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two cores: the server needs one of them.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // A cheap phone held upright.
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `rm -rf ${dbFile}* ${mediaDir} && mkdir -p target/e2e && ${bin} serve`,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LINLI_ADDR: `127.0.0.1:${port}`,
      LINLI_DATABASE_URL: `sqlite://${dbFile}`,
      LINLI_DEMO: 'true',
      LINLI_MEDIA_DIR: mediaDir,
      LINLI_TRUSTED_PROXIES: '127.0.0.1',
      LINLI_CLIENT_IP_HEADER: 'x-forwarded-for',
      LINLI_TILES: 'none',
      LINLI_LOG: 'warn',
      LINLI_CONFIG: '/dev/null',
    },
  },
});
