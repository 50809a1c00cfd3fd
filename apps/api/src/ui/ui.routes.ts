import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { NAV, renderPage } from './layout';
import { PAGES } from './pages';

const PAGE_BY_PATH: Record<string, string> = {
  '/ui': 'dashboard',
  '/ui/memory/events': 'memory-events',
  '/ui/memory/search': 'memory-search',
  '/ui/memory/graph': 'memory-graph',
  '/ui/code/repositories': 'code-repositories',
  '/ui/code/search': 'code-search',
  '/ui/code/upload': 'code-upload',
  '/ui/code/graph': 'code-graph',
  '/ui/monitoring': 'monitoring',
};

/** Pages of one thing, by id; the navigation marks the list they belong to. */
const DETAIL_PAGES = [
  { path: '/ui/memory/events/:id', page: 'memory-event', nav: '/ui/memory/events' },
  { path: '/ui/code/chunks/:id', page: 'code-chunk', nav: '/ui/code/repositories' },
  { path: '/ui/code/chunks', page: 'code-chunks', nav: '/ui/code/repositories' },
];

/**
 * Browser files served from node_modules, so no page loads anything from another origin. The
 * packages are named in literal `require.resolve` calls so the build lists them in the pruned
 * package.json of the bundle (the production image installs only what that lists).
 */
const VENDOR: Record<string, () => string> = {
  'cytoscape.min.js': () => join(dirname(require.resolve('cytoscape')), 'cytoscape.min.js'),
  'uPlot.iife.min.js': () => join(dirname(require.resolve('uplot')), 'uPlot.iife.min.js'),
  'uPlot.min.css': () => join(dirname(require.resolve('uplot')), 'uPlot.min.css'),
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
  for (const [name, locate] of Object.entries(VENDOR)) {
    const file = locate();
    router.get(`/ui/static/vendor/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1d' }));
  }
  for (const item of NAV) {
    const page = PAGE_BY_PATH[item.path];
    router.get(item.path, (_req, res) => {
      res.type('html').send(renderPage({ page, path: item.path, ...PAGES[page] }));
    });
  }
  for (const detail of DETAIL_PAGES) {
    router.get(detail.path, (_req, res) => {
      res.type('html').send(renderPage({ page: detail.page, path: detail.nav, ...PAGES[detail.page] }));
    });
  }
  return router;
}
