// Browser tests: Debian's Chromium, headless, against a real fengqiao server on a fresh demo
// database (scripts/web-test.sh starts it and passes its address as FQ_BASE_URL).
import { defineConfig } from '@playwright/test';

const baseURL = process.env.FQ_BASE_URL ?? 'http://127.0.0.1:18090';

export default defineConfig({
  testDir: './tests',
  // One server, one database: tests that lock accounts or create records run one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.FQ_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
