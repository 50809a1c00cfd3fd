import { escapeHtml } from './html';

export interface NavItem {
  path: string;
  label: string;
  section: 'Memory' | 'Code' | 'Operations';
}

export const NAV: NavItem[] = [
  { path: '/ui', label: 'Dashboard', section: 'Memory' },
  { path: '/ui/memory/events', label: 'Events', section: 'Memory' },
  { path: '/ui/memory/search', label: 'Search', section: 'Memory' },
  { path: '/ui/memory/graph', label: 'Graph', section: 'Memory' },
  { path: '/ui/code/repositories', label: 'Repositories', section: 'Code' },
  { path: '/ui/code/search', label: 'Search', section: 'Code' },
  { path: '/ui/code/upload', label: 'Upload', section: 'Code' },
  { path: '/ui/code/graph', label: 'Graph', section: 'Code' },
  { path: '/ui/monitoring', label: 'Monitoring', section: 'Operations' },
];

/**
 * The page frame: navigation, the API key prompt and the namespace switcher, and the page body.
 * Pages are shells filled by /ui/static/ui.js from the JSON API, so they hold no data themselves
 * and need no key to load; the script asks for the key when the API answers 401.
 * `path` is the navigation entry to mark current (a detail page marks its list).
 */
export function renderPage(options: {
  page: string;
  title: string;
  path: string;
  body: string;
  vendor?: string[];
  styles?: string[];
}): string {
  const sections = ['Memory', 'Code', 'Operations'] as const;
  const nav = sections
    .map((section) => {
      const links = NAV.filter((item) => item.section === section)
        .map(
          (item) =>
            `<a href="${item.path}"${item.path === options.path ? ' aria-current="page"' : ''}${
              item.label === 'Search' || item.label === 'Graph' ? ` aria-label="${section} ${item.label.toLowerCase()}"` : ''
            }>${escapeHtml(item.label)}</a>`,
        )
        .join('');
      return `<div class="nav-section"><span>${section}</span>${links}</div>`;
    })
    .join('');
  const vendor = (options.vendor ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join('');
  const styles = (options.styles ?? []).map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · MnemoLite</title>
${styles}<link rel="stylesheet" href="/ui/static/ui.css">
</head>
<body data-page="${escapeHtml(options.page)}">
<a class="skip" href="#main">Skip to content</a>
<header>
  <a class="brand" href="/ui">MnemoLite</a>
  <nav aria-label="Main">${nav}</nav>
  <div class="access">
    <form id="namespace-form" class="namespace" hidden>
      <label>Namespace <input name="namespace" list="namespace-options" autocomplete="off" spellcheck="false" required maxlength="64" pattern="[A-Za-z0-9._\\-]{1,64}"></label>
      <datalist id="namespace-options"></datalist>
      <button type="submit">Switch</button>
    </form>
    <form id="api-key-form" class="api-key" hidden>
      <p id="api-key-reason" class="api-key-reason"></p>
      <label>API key <input type="password" name="key" autocomplete="off" required></label>
      <button type="submit">Use</button>
    </form>
    <button type="button" id="forget-key" hidden>Forget key</button>
  </div>
</header>
<main id="main" tabindex="-1">
<h1>${escapeHtml(options.title)}</h1>
<div id="flash" role="alert" hidden></div>
<p id="status" class="status" role="status" aria-live="polite"></p>
${options.body}
</main>
${vendor}<script src="/ui/static/ui.js"></script>
</body>
</html>`;
}
