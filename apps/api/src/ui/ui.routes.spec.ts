import request from 'supertest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { NAV } from './layout';

describe('web UI pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ config: { apiKey: 'ui-test-key-0123456789' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(NAV.map((item) => item.path))('%s renders a page with the navigation', async (path) => {
    const res = await request(t.app).get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<script src="/ui/static/ui.js"></script>');
    for (const item of NAV) expect(res.text).toContain(`href="${item.path}"`);
    expect(res.text).toMatch(new RegExp(`href="${path}" aria-current="page"`));
  });

  it('serves the script, the stylesheet, the graph and the chart libraries without a CDN', async () => {
    await request(t.app)
      .get('/ui/static/ui.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(t.app).get('/ui/static/ui.css').expect(200).expect('content-type', /css/);
    const lib = await request(t.app).get('/ui/static/vendor/cytoscape.min.js').expect(200);
    expect(lib.text.length).toBeGreaterThan(100_000);
    const uplot = await request(t.app)
      .get('/ui/static/vendor/uPlot.iife.min.js')
      .expect(200)
      .expect('content-type', /javascript/);
    expect(uplot.text).toContain('uPlot');
    await request(t.app).get('/ui/static/vendor/uPlot.min.css').expect(200).expect('content-type', /css/);
    for (const item of NAV) {
      const page = await request(t.app).get(item.path).expect(200);
      expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('keeps the UI strict: scripts and connections from its own origin only, no inline script', async () => {
    for (const path of [...NAV.map((item) => item.path), '/ui/memory/events/00000000-0000-4000-8000-000000000000', '/ui/code/chunks']) {
      const res = await request(t.app).get(path).expect(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('serves the event, chunk and chunk-list pages, marking their list in the navigation', async () => {
    const event = await request(t.app).get('/ui/memory/events/00000000-0000-4000-8000-000000000000').expect(200);
    expect(event.text).toContain('data-page="memory-event"');
    expect(event.text).toContain('href="/ui/memory/events" aria-current="page"');
    expect(event.text).toContain('<dialog id="confirm-delete"');
    const chunk = await request(t.app).get('/ui/code/chunks/00000000-0000-4000-8000-000000000000').expect(200);
    expect(chunk.text).toContain('data-page="code-chunk"');
    expect(chunk.text).toContain('href="/ui/code/repositories" aria-current="page"');
    const chunks = await request(t.app).get('/ui/code/chunks').query({ repository: 'x' }).expect(200);
    expect(chunks.text).toContain('data-page="code-chunks"');
  });

  it('gives every form field a label and keeps forms in the URL (GET)', async () => {
    for (const item of NAV) {
      const res = await request(t.app).get(item.path).expect(200);
      const main = res.text.slice(res.text.indexOf('<main'));
      // Every input, select and textarea sits inside a <label> (the checks in Chromium confirm it with axe).
      const fields = main.match(/<(input|select|textarea)\b/g) ?? [];
      const labelled = main.match(/<label[^>]*>[^<]*<(input|select|textarea)\b/g) ?? [];
      expect(labelled.length).toBe(fields.length);
      for (const form of main.match(/<form id="[^"]+-form"[^>]*>/g) ?? []) {
        if (!form.includes('code-upload-form')) expect(form).toContain('method="get"');
      }
    }
  });

  it('answers unknown UI paths with the contract 404', async () => {
    const res = await request(t.app).get('/ui/static/nope.js').expect(404);
    expect(res.body.error.code).toBe('not_found');
    await request(t.app).get('/ui/nowhere').expect(404);
  });
});
