import { escapeHtml } from './html';

export interface NavItem {
  path: string;
  label: string;
  section: 'Memory' | 'Code' | 'Operations';
}

export const NAV: NavItem[] = [
  { path: '/ui', label: 'Dashboard', section: 'Memory' },
  { path: '/ui/memory/search', label: 'Search', section: 'Memory' },
  { path: '/ui/memory/graph', label: 'Graph', section: 'Memory' },
  { path: '/ui/code/repositories', label: 'Repositories', section: 'Code' },
  { path: '/ui/code/search', label: 'Search', section: 'Code' },
  { path: '/ui/code/upload', label: 'Upload', section: 'Code' },
  { path: '/ui/code/graph', label: 'Graph', section: 'Code' },
  { path: '/ui/monitoring', label: 'Monitoring', section: 'Operations' },
];

/**
 * The page frame: navigation, the API key box, and the page body. Pages are shells filled by
 * /ui/static/ui.js from the JSON API, so they hold no data themselves and need no key to load.
 */
export function renderPage(options: { page: string; title: string; path: string; body: string; vendor?: string[] }): string {
  const sections = ['Memory', 'Code', 'Operations'] as const;
  const nav = sections
    .map((section) => {
      const links = NAV.filter((item) => item.section === section)
        .map(
          (item) =>
            `<a href="${item.path}"${item.path === options.path ? ' aria-current="page"' : ''}>${escapeHtml(item.label)}</a>`,
        )
        .join('');
      return `<div class="nav-section"><span>${section}</span>${links}</div>`;
    })
    .join('');
  const vendor = (options.vendor ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · MnemoLite</title>
<link rel="stylesheet" href="/ui/static/ui.css">
</head>
<body data-page="${escapeHtml(options.page)}">
<header>
  <a class="brand" href="/ui">MnemoLite</a>
  <nav>${nav}</nav>
  <form id="api-key-form" class="api-key" hidden>
    <label>API key <input type="password" name="key" autocomplete="off"></label>
    <button type="submit">Use</button>
  </form>
</header>
<main>
<h1>${escapeHtml(options.title)}</h1>
<div id="flash" role="alert" hidden></div>
${options.body}
</main>
${vendor}<script src="/ui/static/ui.js"></script>
</body>
</html>`;
}
