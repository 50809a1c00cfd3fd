/** The bodies of the UI pages; `ui.js` binds to their ids. */
export const PAGES: Record<string, { title: string; body: string; vendor?: string[] }> = {
  dashboard: {
    title: 'Dashboard',
    body: `
<section class="cards">
  <div class="card"><h2>Events</h2><p class="figure" id="events-total">…</p></div>
  <div class="card"><h2>Repositories</h2><p class="figure" id="repositories-total">…</p></div>
  <div class="card"><h2>Code chunks</h2><p class="figure" id="chunks-total">…</p></div>
  <div class="card"><h2>Database</h2><p class="figure" id="database-engine">…</p></div>
</section>
<h2>Latest events</h2>
<table><thead><tr><th>Time</th><th>Content</th><th>Metadata</th></tr></thead><tbody id="latest-events"></tbody></table>`,
  },
  'memory-search': {
    title: 'Memory search',
    body: `
<form id="memory-search-form" class="search">
  <input name="query" type="search" placeholder="What do you remember about…" autofocus>
  <select name="mode"><option value="hybrid">hybrid</option><option value="vector">vector</option><option value="lexical">lexical</option></select>
  <input name="metadata" placeholder='metadata filter, e.g. {"agent":"a1"}'>
  <input name="limit" type="number" min="1" max="100" value="10">
  <button type="submit">Search</button>
</form>
<p id="search-summary" class="muted"></p>
<ol id="search-results" class="results"></ol>`,
  },
  'memory-graph': {
    title: 'Memory graph',
    vendor: ['/ui/static/vendor/cytoscape.min.js'],
    body: `
<form id="graph-form" class="search">
  <input name="type" placeholder="node type (all)">
  <input name="limit" type="number" min="1" max="2000" value="300">
  <button type="submit">Show</button>
</form>
<div id="graph" class="graph"></div>`,
  },
  'code-repositories': {
    title: 'Code repositories',
    body: `
<table><thead><tr><th>Repository</th><th>Files</th><th>Chunks</th><th>Languages</th><th>Last indexed</th><th></th></tr></thead>
<tbody id="repositories"></tbody></table>`,
  },
  'code-search': {
    title: 'Code search',
    body: `
<form id="code-search-form" class="search">
  <input name="query" type="search" placeholder="function name, identifier or description" autofocus>
  <select name="mode"><option value="hybrid">hybrid</option><option value="lexical">lexical</option><option value="vector">vector</option></select>
  <input name="repository" placeholder="repository (all)">
  <input name="language" placeholder="language (all)">
  <input name="limit" type="number" min="1" max="100" value="20">
  <button type="submit">Search</button>
</form>
<p id="search-summary" class="muted"></p>
<ol id="search-results" class="results"></ol>`,
  },
  'code-upload': {
    title: 'Index code',
    body: `
<form id="code-upload-form" class="stack">
  <label>Repository name <input name="repository" required placeholder="my-service"></label>
  <label>Source folder <input name="files" type="file" webkitdirectory multiple required></label>
  <label><input name="embeddings" type="checkbox" checked> compute embeddings</label>
  <button type="submit">Index</button>
</form>
<progress id="upload-progress" max="1" value="0" hidden></progress>
<pre id="upload-result"></pre>`,
  },
  'code-graph': {
    title: 'Code graph',
    vendor: ['/ui/static/vendor/cytoscape.min.js'],
    body: `
<form id="code-graph-form" class="search">
  <input name="repository" required placeholder="repository">
  <input name="symbol" required placeholder="function or Class.method">
  <select name="direction"><option value="callers">callers</option><option value="callees">callees</option></select>
  <input name="depth" type="number" min="1" max="10" value="2">
  <button type="submit">Show</button>
</form>
<p id="graph-summary" class="muted"></p>
<div id="graph" class="graph"></div>`,
  },
  monitoring: {
    title: 'Monitoring',
    body: `
<section class="cards" id="health-cards"></section>
<h2>Requests</h2>
<table><thead><tr><th>Method</th><th>Route</th><th>Status</th><th>Count</th></tr></thead><tbody id="request-counts"></tbody></table>`,
  },
};
