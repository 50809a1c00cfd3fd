import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { NAV, renderPage } from './layout';
import { PAGES } from './pages';

const PAGE_BY_PATH: Record<string, string> = {
  '/ui': 'dashboard',
  '/ui/memory/search': 'memory-search',
  '/ui/memory/graph': 'memory-graph',
  '/ui/code/repositories': 'code-repositories',
  '/ui/code/search': 'code-search',
  '/ui/code/upload': 'code-upload',
  '/ui/code/graph': 'code-graph',
  '/ui/monitoring': 'monitoring',
};

/** Static files sit next to the bundle (copied as build assets) or beside this file in the source. */
function staticDir(): string {
  const candidates = [join(__dirname, 'ui-static'), join(__dirname, 'static')];
  const found = candidates.find((dir) => existsSync(join(dir, 'ui.js')));
  if (!found) throw new Error(`UI static files not found; looked in ${candidates.join(', ')}`);
  return found;
}

/** Server-rendered pages under /ui; their data comes from the JSON API, with the user's API key. */
export function uiRoutes(): Router {
  const router = Router();
  router.use('/ui', (_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    next();
  });
  router.use('/ui/static', express.static(staticDir(), { maxAge: '1h' }));
  const cytoscape = join(dirname(require.resolve('cytoscape')), 'cytoscape.min.js');
  router.get('/ui/static/vendor/cytoscape.min.js', (_req, res) => res.sendFile(cytoscape, { maxAge: '1d' }));
  for (const item of NAV) {
    const page = PAGE_BY_PATH[item.path];
    router.get(item.path, (_req, res) => {
      res.type('html').send(renderPage({ page, path: item.path, ...PAGES[page] }));
    });
  }
  return router;
}
