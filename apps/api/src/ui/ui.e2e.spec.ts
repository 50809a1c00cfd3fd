import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type StartedApi } from '../testing/api-process';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WORKSPACE = resolve(__dirname, '../../../..');
/** The project's own libraries, indexed through the code indexer: a real, large call graph. */
const LIBS = join(WORKSPACE, 'libs');
/** Kept after the run (CI prints the path when the suite fails): one screenshot per page. */
const SCREENSHOTS = process.env['UI_SCREENSHOT_DIR'] ?? join(WORKSPACE, 'tmp', 'ui-screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The web UI in a real browser (Debian's Chromium) against the real API process on PGlite, with
 * realistic data: 45 events with metadata and a graph, and the project's own libs/ indexed. Every
 * page is screenshotted and checked with axe-core; any console error or CSP violation fails the run.
 */
describe('web UI end to end (Chromium)', () => {
  let dir: string;
  let api: StartedApi;
  let empty: StartedApi;
  let keyed: StartedApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const axeReport: Record<string, number> = {};
  let eventIds: string[] = [];

  const call = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };

  /** Loads a UI page and waits until its script has drawn it (or reported an error). */
  async function visit(path: string, base = api.url): Promise<void> {
    await page.goto(`${base}${path}`);
    await page.locator('body[data-ready="true"]').waitFor();
  }

  /** Screenshot, then axe-core on the page as it stands: no serious or critical violation. */
  async function checkPage(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.addScriptTag({ url: `${new URL(page.url()).origin}/__axe.js` });
    const violations = (await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } })
        .axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target })),
      }));
    })) as AxeViolation[];
    axeReport[name] = violations.length;
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  async function drawnCounts(): Promise<{ nodes: number; edges: number }> {
    const graph = page.locator('#graph');
    return { nodes: Number(await graph.getAttribute('data-nodes')), edges: Number(await graph.getAttribute('data-edges')) };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mnemolite-ui-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    api = await startApi({ MNEMO_DATA_DIR: join(dir, 'pgdata'), CODE_INDEX_ROOTS: LIBS });
    const topics = ['travel', 'finance', 'health', 'work', 'family'];
    const texts = [
      'The zebra crossing near the office was repainted',
      'Quarterly revenue grew in Europe',
      'Lunch with Alice on Friday',
      'Booked the train to Lyon for the conference',
      'Blood pressure reading was normal this morning',
    ];
    const start = Date.UTC(2026, 10, 1, 9);
    const events = Array.from({ length: 45 }, (_, i) => ({
      content: { text: `${texts[i % texts.length]} (note ${i + 1})` },
      metadata: { agent: i % 3 === 0 ? 'a1' : 'a2', topic: topics[i % topics.length], priority: i % 4 },
      timestamp: new Date(start + i * 3_600_000).toISOString(),
    }));
    eventIds = ((await call(api.url, 'POST', '/v1/events/batch', { events })) as { ids: string[] }).ids;
    // A memory graph among the events: a chain by time, and each note linked to its topic's first.
    for (let i = 1; i < eventIds.length; i++)
      await call(api.url, 'POST', '/v1/graph/edges', { source: eventIds[i - 1], target: eventIds[i], relation: 'follows' });
    for (let i = 5; i < eventIds.length; i++)
      await call(api.url, 'POST', '/v1/graph/edges', { source: eventIds[i], target: eventIds[i % 5], relation: 'same_topic' });
    await call(api.url, 'POST', '/v1/code/index', { repository: 'libs', path: LIBS });
    await call(api.url, 'POST', '/v1/code/index', {
      repository: 'demo',
      files: [{ path: 'src/math.ts', content: 'export function addNumbers(a: number, b: number): number {\n  return a + b;\n}\n' }],
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // axe-core comes from the test, under the page's own origin, so the page's CSP (self only) allows it.
    await context.route('**/__axe.js', (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: AXE }));
    await context.exposeBinding('__reportCsp', (_source, text: string) => problems.push(`CSP violation: ${text}`));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __reportCsp: (text: string) => void }).__reportCsp(
          `${event.violatedDirective} blocked ${event.blockedURI}`,
        );
      });
    });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${page.url()})`);
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (const started of [api, empty, keyed]) started?.child.kill('SIGTERM');
    await Promise.all([api?.exited, empty?.exited, keyed?.exited]);
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`axe violations (any impact) by page: ${JSON.stringify(axeReport)}\nscreenshots: ${SCREENSHOTS}\n`);
  });

  it('dashboard shows the stored counts', async () => {
    await visit('/ui');
    expect(await page.textContent('#events-total')).toBe('45');
    expect(await page.textContent('#repositories-total')).toBe('2');
    expect(await page.locator('#latest-events tr').count()).toBe(10);
    await checkPage('dashboard');
  });

  it('events: pages through the list, and filters with key/value rows kept in the URL', async () => {
    await visit('/ui/memory/events');
    expect(await page.locator('#events tr').count()).toBe(20);
    expect(await page.textContent('[data-pager]')).toContain('Page 1 of 3');
    await page.click('a[rel="next"]');
    await page.waitForURL(/page=2/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(await page.textContent('#list-summary')).toContain('Events 21–40 of 45');
    await page.goBack();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.textContent('#list-summary')).toContain('Events 1–20 of 45');

    await page.fill('.kv-row .kv-key', 'agent');
    await page.fill('.kv-row .kv-value', 'a1');
    await page.click('[data-add-row]');
    await page.locator('.kv-row').nth(1).locator('.kv-key').fill('priority');
    await page.locator('.kv-row').nth(1).locator('.kv-value').fill('0');
    expect(await page.inputValue('textarea[name="metadata"]')).toBe('{"agent":"a1","priority":0}');
    await page.click('#events-form button[type="submit"]');
    await page.waitForURL(/metadata=/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(JSON.parse(new URL(page.url()).searchParams.get('metadata') ?? '')).toEqual({ agent: 'a1', priority: 0 });
    // agent a1: notes 1, 4, 7, ...; priority 0: notes 1, 5, 9, ... -> both: i % 12 === 0 -> 4 events
    expect(await page.locator('#events tr').count()).toBe(4);
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('#events tr').count()).toBe(4);
    expect(await page.locator('.kv-row').count()).toBe(2);
    expect(await page.inputValue('.kv-row .kv-key')).toBe('agent');
    await checkPage('memory-events');
  });

  it('memory search works from the keyboard, and reload and back/forward reproduce it', async () => {
    await visit('/ui/memory/search');
    await page.focus('input[name="query"]');
    await page.keyboard.type('zebra');
    await page.keyboard.press('Tab'); // to the mode: hybrid -> vector -> lexical
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('select[name="mode"]')).toBe('lexical');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/query=zebra/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ query: 'zebra', mode: 'lexical' });
    expect(await page.textContent('#search-results li:first-child')).toContain('zebra crossing');
    expect(await page.textContent('#search-summary')).toContain('of 9');
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.inputValue('input[name="query"]')).toBe('zebra');
    expect(await page.locator('#search-results li').count()).toBe(9);
    await visit('/ui/memory/search?query=revenue&mode=hybrid&limit=10');
    expect(await page.textContent('#search-results li:first-child')).toContain('revenue');
    await page.goBack();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.inputValue('input[name="query"]')).toBe('zebra');
    expect(await page.inputValue('select[name="mode"]')).toBe('lexical');
    await page.goForward();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.inputValue('select[name="mode"]')).toBe('hybrid');
    await checkPage('memory-search');
  });

  it('memory search shows the API error for a bad metadata filter', async () => {
    page.removeAllListeners('console');
    await visit('/ui/memory/search?metadata=%5B1%2C2%5D');
    expect(await page.textContent('#flash')).toBeTruthy();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${page.url()})`);
    });
  });

  it('event page: content, metadata, time, model and its neighbors drawn; delete asks first', async () => {
    await visit(`/ui/memory/events/${eventIds[10]}?depth=2`);
    expect(await page.textContent('#event-content')).toContain('(note 11)');
    expect(await page.textContent('#event-metadata')).toContain('"topic": "travel"');
    expect(await page.textContent('#event-details')).toContain('hash');
    expect(await page.locator('#event-details time').getAttribute('datetime')).toBe(new Date(Date.UTC(2026, 10, 1, 19)).toISOString());
    const neighbors = (await call(api.url, 'GET', `/v1/graph/nodes/${eventIds[10]}/neighbors?depth=2`)) as {
      roots: unknown[];
      nodes: unknown[];
      edges: unknown[];
    };
    expect(await drawnCounts()).toEqual({ nodes: neighbors.roots.length + neighbors.nodes.length, edges: neighbors.edges.length });
    expect(neighbors.nodes.length).toBeGreaterThan(4);
    expect(await page.inputValue('input[name="depth"]')).toBe('2');
    await checkPage('memory-event');

    await visit(`/ui/memory/events/${eventIds[44]}`);
    await page.click('#delete-event');
    await page.locator('#confirm-delete[open]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'memory-event-delete-dialog.png') });
    await page.keyboard.press('Escape');
    expect(await page.locator('#confirm-delete[open]').count()).toBe(0);
    expect(((await call(api.url, 'GET', `/v1/events/${eventIds[44]}`)) as { id: string }).id).toBe(eventIds[44]);
    await page.click('#delete-event');
    await page.click('#confirm-delete button[value="delete"]');
    await page.waitForURL(/\/ui\/memory\/events\?deleted=/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.textContent('#status')).toContain('was deleted');
    const gone = await fetch(`${api.url}/v1/events/${eventIds[44]}`);
    expect(gone.status).toBe(404);
  });

  it('memory graph draws the newest nodes and says "showing N of M"', async () => {
    await visit('/ui/memory/graph?limit=20');
    expect(await page.textContent('#graph-summary')).toContain('Showing the newest 20 of 44 nodes');
    const exported = (await call(api.url, 'GET', '/v1/graph?limit=20')) as { elements: { nodes: unknown[]; edges: unknown[] } };
    expect(await drawnCounts()).toEqual({ nodes: 20, edges: exported.elements.edges.length });
    expect(exported.elements.edges.length).toBeGreaterThan(0);
    await visit('/ui/memory/graph');
    // 44 events; edges: 44 "follows" and 40 "same_topic", less the two that touched the deleted event.
    expect(await drawnCounts()).toEqual({ nodes: 44, edges: 82 });
    await checkPage('memory-graph');
  });

  it('code repositories list, delete with confirmation, and the chunk list pages', async () => {
    await visit('/ui/code/repositories');
    expect(await page.locator('#repositories tr').count()).toBe(2);
    await checkPage('code-repositories');
    await page.click('button[aria-label="Delete demo"]');
    await page.locator('#confirm-delete[open]').waitFor();
    expect(await page.textContent('#confirm-text')).toContain('demo');
    await page.click('#confirm-delete button[value="delete"]');
    await page.locator('#status', { hasText: 'demo was deleted' }).waitFor();
    expect(await page.locator('#repositories tr').count()).toBe(1);

    await page.click('#repositories a:has-text("libs")');
    await page.waitForURL(/\/ui\/code\/chunks\?repository=libs/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('#chunks tr').count()).toBe(50);
    expect(await page.textContent('[data-pager]')).toMatch(/Page 1 of \d+/);
    await checkPage('code-chunks');
  });

  it('chunk page: server-highlighted source, and links to callers and callees', async () => {
    const found = (await call(api.url, 'POST', '/v1/code/search', {
      query: 'createDb',
      repository: 'libs',
      mode: 'lexical',
      limit: 20,
    })) as {
      results: { chunk: { id: string; name: string; chunk_type: string } }[];
    };
    const chunk = found.results.find((hit) => hit.chunk.name === 'createDb' && hit.chunk.chunk_type === 'function');
    expect(chunk).toBeDefined();
    await visit(`/ui/code/chunks/${chunk?.chunk.id}`);
    expect(await page.textContent('h1')).toBe('createDb');
    expect(await page.locator('#chunk-source .hljs-keyword').count()).toBeGreaterThan(2);
    expect(await page.locator('#chunk-callers a').count()).toBeGreaterThan(1);
    expect(await page.getAttribute('#chunk-links a:first-child', 'href')).toBe(
      '/ui/code/graph?repository=libs&symbol=createDb&direction=callers&depth=2',
    );
    await checkPage('code-chunk');
  });

  it('code search works from the keyboard and links to the chunk', async () => {
    await visit('/ui/code/search');
    await page.focus('input[name="query"]');
    await page.keyboard.type('createDb');
    await page.keyboard.press('Enter');
    await page.waitForURL(/query=createDb/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(new URL(page.url()).searchParams.get('query')).toBe('createDb');
    expect(await page.textContent('#search-results')).toContain('createDb');
    expect(await page.getAttribute('#search-results li:first-child a', 'href')).toMatch(/^\/ui\/code\/chunks\/[0-9a-f-]{36}$/);
    await checkPage('code-search');
  });

  it('code graph draws the callers of createDb on libs/ (every node and edge the API gave), from the keyboard', async () => {
    await visit('/ui/code/graph');
    await page.focus('input[name="repository"]');
    await page.keyboard.type('libs');
    await page.keyboard.press('Tab');
    await page.keyboard.type('createDb');
    await page.keyboard.press('Tab'); // show: callers
    await page.keyboard.press('Tab'); // path to: left empty
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.waitForURL(/symbol=createDb/);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
      repository: 'libs',
      symbol: 'createDb',
      direction: 'callers',
      depth: '2',
    });
    const walk = (await call(api.url, 'GET', '/v1/code/graph/callers?repository=libs&symbol=createDb&depth=2')) as {
      roots: unknown[];
      nodes: unknown[];
      edges: unknown[];
    };
    const drawn = await drawnCounts();
    process.stdout.write(`code graph, callers of createDb at depth 2 on libs/: drew ${drawn.nodes} nodes and ${drawn.edges} edges\n`);
    expect(drawn).toEqual({ nodes: walk.roots.length + walk.nodes.length, edges: walk.edges.length });
    expect(drawn.nodes).toBeGreaterThan(5);
    expect(drawn.edges).toBeGreaterThanOrEqual(drawn.nodes - walk.roots.length);
    expect(await page.textContent('#graph-summary')).toContain(`${walk.nodes.length} callers of createDb`);
    await checkPage('code-graph');
  });

  it('code graph caps a large answer with "showing N of M", and draws the biggest walk', async () => {
    await visit('/ui/code/graph?repository=libs&symbol=createDb&direction=callers&depth=10&limit=5');
    expect(await page.textContent('#graph-summary')).toMatch(/showing the nearest 5 of \d+/);
    expect((await drawnCounts()).nodes).toBe(5 + 1);
    await visit('/ui/code/graph?repository=libs&symbol=createDb&direction=callers&depth=10&limit=2000');
    const big = await drawnCounts();
    process.stdout.write(`code graph, callers of createDb at depth 10 on libs/: drew ${big.nodes} nodes and ${big.edges} edges\n`);
    expect(big.nodes).toBeGreaterThan(6);
  });

  it('code graph draws a shortest call path, every node and edge of it', async () => {
    await visit('/ui/code/graph?repository=libs&symbol=createMemoryTestDb&direction=path&to=createDb&depth=5');
    const path = (await call(api.url, 'GET', '/v1/code/graph/path?repository=libs&from=createMemoryTestDb&to=createDb&max_depth=5')) as {
      found: boolean;
      nodes: unknown[];
      edges: unknown[];
    };
    expect(path.found).toBe(true);
    expect(await drawnCounts()).toEqual({ nodes: path.nodes.length, edges: path.edges.length });
    expect(await page.textContent('#graph-summary')).toContain(
      `Shortest call path from createMemoryTestDb to createDb: ${path.edges.length} call`,
    );
    await checkPage('code-graph-path');
  });

  it('code upload page renders', async () => {
    await visit('/ui/code/upload?repository=my-service');
    expect(await page.inputValue('input[name="repository"]')).toBe('my-service');
    await checkPage('code-upload');
  });

  it('monitoring draws charts of the last hour and a route table', async () => {
    await visit('/ui/monitoring');
    await page.locator('#route-table tr').first().waitFor();
    expect(await page.textContent('#health-cards')).toContain('pglite');
    for (const name of ['rate', 'error-rate', 'route-rate', 'route-p50', 'route-p95', 'search', 'embedding', 'database', 'stored']) {
      expect(`${name}: ${await page.getAttribute(`[data-chart="${name}"]`, 'data-state')}`).toBe(`${name}: drawn`);
      expect(await page.locator(`[data-chart="${name}"] canvas`).count()).toBe(1);
    }
    expect(await page.textContent('[data-chart="queue"]')).toContain('No worker is connected');
    expect(await page.textContent('#route-table')).toContain('POST /v1/search');
    await checkPage('monitoring');
  });

  it('the API docs (Swagger UI) render under their CSP', async () => {
    await page.goto(`${api.url}/docs/`);
    await page.locator('.opblock-summary-path', { hasText: '/v1/search' }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
  });

  it('on an empty database every page shows empty states, not errors', async () => {
    empty = await startApi({ MNEMO_DATA_DIR: join(dir, 'empty') });
    for (const [path, name] of [
      ['/ui', 'empty-dashboard'],
      ['/ui/memory/events', 'empty-events'],
      ['/ui/memory/graph', 'empty-memory-graph'],
      ['/ui/code/repositories', 'empty-repositories'],
      ['/ui/monitoring', 'empty-monitoring'],
    ]) {
      await visit(path, empty.url);
      expect(`${path}: ${await page.locator('#flash').isHidden()}`).toBe(`${path}: true`);
      await checkPage(name);
    }
    expect(await page.textContent('[data-chart="stored"]')).toContain('no events or chunks yet');
    expect(await page.textContent('[data-chart="search"]')).toContain('No searches');
  }, 120_000);

  it('with keys: asks for the key, keeps it for the tab only, and shows and switches the namespace', async () => {
    const bootstrap = 'ui-bootstrap-admin-key-0123456789';
    keyed = await startApi({ MNEMO_DATA_DIR: join(dir, 'keyed'), API_KEY: bootstrap });
    // The 401s before a key is given are logged by Chromium as failed loads: expected here.
    page.removeAllListeners('console');
    const sent: { url: string; authorization?: string; namespace?: string }[] = [];
    const record = (req: import('playwright-core').Request) => {
      if (req.url().includes('/v1/'))
        sent.push({ url: req.url(), authorization: req.headers()['authorization'], namespace: req.headers()['x-namespace'] });
    };
    page.on('request', record);
    /** Submits a header form (each reloads the page) and waits for the new page to be drawn. */
    const submit = async (selector: string) => {
      await Promise.all([page.waitForEvent('load'), page.click(selector)]);
      await page.locator('body[data-ready="true"]').waitFor();
      await page.locator('body[data-access-ready="true"]').waitFor();
    };
    try {
      await visit('/ui', keyed.url);
      await page.locator('#api-key-form').waitFor({ state: 'visible' });
      expect(await page.textContent('#api-key-reason')).toMatch(/API key is required/);
      expect(await page.locator('#namespace-form').isHidden()).toBe(true);
      await checkPage('key-prompt');

      await page.fill('#api-key-form input[name="key"]', bootstrap);
      await submit('#api-key-form button[type="submit"]');
      expect(await page.locator('#api-key-form').isHidden()).toBe(true);
      expect(await page.locator('#flash').isHidden()).toBe(true);
      expect(await page.textContent('#events-total')).toBe('0');
      // Kept in sessionStorage only: nothing in localStorage, no cookie.
      expect(await page.evaluate(() => ({ session: sessionStorage.getItem('mnemolite.apiKey'), local: localStorage.length }))).toEqual({
        session: bootstrap,
        local: 0,
      });
      expect(await context.cookies(keyed.url)).toEqual([]);
      expect(await page.inputValue('#namespace-form input[name="namespace"]')).toBe('default');

      // An all-namespaces key may type any name.
      await page.fill('#namespace-form input[name="namespace"]', 'team-x');
      sent.length = 0;
      await submit('#namespace-form button[type="submit"]');
      expect(await page.inputValue('#namespace-form input[name="namespace"]')).toBe('team-x');
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((req) => req.authorization !== `Bearer ${bootstrap}` || req.namespace !== 'team-x')).toEqual([]);

      // A key limited to two namespaces: they are offered, and one must be chosen.
      const limitedRes = await fetch(`${keyed.url}/v1/admin/keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bootstrap}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'ui-reader', role: 'read', namespaces: ['team-a', 'team-b'] }),
      });
      const limited = (await limitedRes.json()) as { key: string };
      await submit('#forget-key');
      await page.locator('#api-key-form').waitFor({ state: 'visible' });
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      await page.fill('#api-key-form input[name="key"]', limited.key);
      await submit('#api-key-form button[type="submit"]');
      expect(
        await page
          .locator('#namespace-options option')
          .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value)),
      ).toEqual(['team-a', 'team-b']);
      expect(await page.inputValue('#namespace-form input[name="namespace"]')).toBe('');
      expect(await page.textContent('#flash')).toMatch(/choose one/);
      await checkPage('namespace-switcher');
      await page.fill('#namespace-form input[name="namespace"]', 'team-b');
      sent.length = 0;
      await submit('#namespace-form button[type="submit"]');
      expect(await page.inputValue('#namespace-form input[name="namespace"]')).toBe('team-b');
      expect(sent.filter((req) => req.authorization !== `Bearer ${limited.key}` || req.namespace !== 'team-b')).toEqual([]);
      // A namespace this key may not use is refused by the API and shown.
      await page.fill('#namespace-form input[name="namespace"]', 'team-c');
      await submit('#namespace-form button[type="submit"]');
      expect(await page.inputValue('#namespace-form input[name="namespace"]')).toBe('');
      await submit('#forget-key');
    } finally {
      page.off('request', record);
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()} (${page.url()})`);
      });
    }
  }, 180_000);

  it('raised no script errors, console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
