import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, type StartedApi } from '../testing/api-process';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The web UI in a real browser (Debian's Chromium) against the real API process on PGlite. */
describe('web UI end to end (Chromium)', () => {
  let dir: string;
  let api: StartedApi;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mnemolite-ui-'));
    api = await startApi({ MNEMO_DATA_DIR: join(dir, 'pgdata') });
    await post('/v1/events/batch', {
      events: [
        { content: { text: 'The zebra crossing near the office was repainted' }, metadata: { agent: 'a1' } },
        { content: { text: 'Quarterly revenue grew in Europe' }, metadata: { agent: 'a2' } },
        { content: { text: 'Lunch with Alice on Friday' }, metadata: { agent: 'a1' } },
      ],
    });
    await post('/v1/code/index', {
      repository: 'demo',
      files: [{ path: 'src/math.ts', content: 'export function addNumbers(a: number, b: number): number {\n  return a + b;\n}\n' }],
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await api?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('dashboard shows the stored counts', async () => {
    await page.goto(`${api.url}/ui`);
    // A locator wait, not waitForFunction: the page's CSP forbids the eval that a predicate needs.
    await page.locator('#events-total', { hasText: /^3$/ }).waitFor();
    expect(await page.textContent('#repositories-total')).toBe('1');
    expect(await page.locator('#latest-events tr').count()).toBe(3);
  });

  it('memory search finds an event by a word it contains', async () => {
    await page.goto(`${api.url}/ui/memory/search`);
    await page.fill('input[name="query"]', 'zebra');
    await page.click('#memory-search-form button[type="submit"]');
    await page.waitForSelector('#search-results li');
    expect(await page.textContent('#search-results li:first-child')).toContain('zebra crossing');
    await page.screenshot({ path: join(process.env['UI_SCREENSHOT_DIR'] ?? dir, 'memory-search.png') });
  });

  it('memory search shows the API error for a bad metadata filter', async () => {
    await page.goto(`${api.url}/ui/memory/search`);
    await page.fill('input[name="metadata"]', '[1, 2]');
    await page.click('#memory-search-form button[type="submit"]');
    await page.waitForSelector('#flash:not([hidden])');
    expect(await page.textContent('#flash')).toBeTruthy();
    problems.length = 0; // the 400 is logged by the browser as a failed resource; that is the point here
  });

  it('code search and repositories show the indexed function', async () => {
    await page.goto(`${api.url}/ui/code/search`);
    await page.fill('input[name="query"]', 'addNumbers');
    await page.click('#code-search-form button[type="submit"]');
    await page.waitForSelector('#search-results li');
    expect(await page.textContent('#search-results li:first-child')).toContain('addNumbers');
    await page.goto(`${api.url}/ui/code/repositories`);
    await page.waitForSelector('#repositories tr');
    expect(await page.textContent('#repositories tr')).toContain('demo');
  });

  it('monitoring shows health and request counts; the graph page draws', async () => {
    await page.goto(`${api.url}/ui/monitoring`);
    await page.waitForSelector('#request-counts tr');
    expect(await page.textContent('#health-cards')).toContain('pglite');
    await page.goto(`${api.url}/ui/memory/graph`);
    await page.waitForSelector('#graph canvas');
  });

  it('the API docs (Swagger UI) render under their CSP', async () => {
    await page.goto(`${api.url}/docs/`);
    await page.locator('.opblock-summary-path', { hasText: '/v1/search' }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
  });

  it('raised no script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
