import request from 'supertest';
import { testEngineName } from '@mnemolite/db/testing';
import { createFullTestApp, type FullTestApp } from '../testing/full-test-app';

const engine = testEngineName();
const KEY = 'a-long-enough-secret-key';

function expectSecurityHeaders(res: request.Response): void {
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(res.headers['strict-transport-security']).toBeUndefined();
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe(`security headers and CORS (${engine})`, () => {
  describe('with the defaults (CORS closed)', () => {
    let t: FullTestApp;
    beforeAll(async () => {
      t = await createFullTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it.each([
      ['a JSON answer', 'get', '/health', 200],
      ['an API answer', 'get', '/v1/events', 200],
      ['an error', 'get', '/v1/events/not-a-uuid', 400],
      ['an unknown route', 'get', '/nowhere', 404],
      ['the OpenAPI document', 'get', '/openapi.json', 200],
      ['the metrics', 'get', '/metrics', 200],
      ['a UI page', 'get', '/ui', 200],
      ['a UI static file', 'get', '/ui/static/ui.js', 200],
    ] as const)('%s carries nosniff, framing denied and a CSP, and no HSTS on plain HTTP', async (_what, method, path, status) => {
      const res = await request(t.app)[method](path);
      expect(res.status).toBe(status);
      expectSecurityHeaders(res);
    });

    it('/docs (Swagger UI) has a CSP that allows its own scripts only', async () => {
      const res = await request(t.app).get('/docs/').expect(200);
      expectSecurityHeaders(res);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      // Swagger UI's page has no inline script, or the policy would block it.
      expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)/);
      expectSecurityHeaders(await request(t.app).get('/docs/swagger-ui-init.js').expect(200));
    });

    it('HSTS is sent when the request came over HTTPS (a loopback proxy saying so)', async () => {
      const res = await request(t.app).get('/health').set('X-Forwarded-Proto', 'https').expect(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    });

    it('gives no CORS header to any origin', async () => {
      const res = await request(t.app).get('/v1/events').set('Origin', 'https://evil.example').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(t.app)
        .options('/v1/events')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('with CORS_ORIGINS and an API key', () => {
    let t: FullTestApp;
    const allowed = 'https://app.example.com';
    beforeAll(async () => {
      t = await createFullTestApp({ config: { corsOrigins: [allowed, 'http://localhost:3000'], apiKey: KEY } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers a listed origin, and its preflight before authentication', async () => {
      const preflight = await request(t.app)
        .options('/v1/search')
        .set('Origin', allowed)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type/);
      expect(preflight.headers['vary']).toMatch(/Origin/);

      const res = await request(t.app).get('/v1/events').set('Origin', allowed).set('Authorization', `Bearer ${KEY}`).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
      expectSecurityHeaders(res);
    });

    it('still requires the key from a listed origin', async () => {
      const res = await request(t.app).get('/v1/events').set('Origin', allowed).expect(401);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
    });

    it('ignores an origin that is not listed, even one that merely starts like a listed one', async () => {
      for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com']) {
        const preflight = await request(t.app).options('/v1/events').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
        expect(preflight.status).not.toBe(204);
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
        const res = await request(t.app).get('/v1/events').set('Origin', origin).set('Authorization', `Bearer ${KEY}`).expect(200);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['vary']).toMatch(/Origin/);
      }
    });
  });
});
