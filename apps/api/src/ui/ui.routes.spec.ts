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

  it('serves the script, the stylesheet and the graph library without a CDN', async () => {
    await request(t.app).get('/ui/static/ui.js').expect(200).expect('content-type', /javascript/);
    await request(t.app).get('/ui/static/ui.css').expect(200).expect('content-type', /css/);
    const lib = await request(t.app).get('/ui/static/vendor/cytoscape.min.js').expect(200);
    expect(lib.text.length).toBeGreaterThan(100_000);
  });

  it('answers unknown UI paths with the contract 404', async () => {
    const res = await request(t.app).get('/ui/static/nope.js').expect(404);
    expect(res.body.error.code).toBe('not_found');
    await request(t.app).get('/ui/nowhere').expect(404);
  });
});
