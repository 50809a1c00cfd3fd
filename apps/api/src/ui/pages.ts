/**
 * The bodies of the UI pages; `ui.js` binds to their ids. Forms are GET forms: what they ask is kept
 * in the page's URL, so a reload, back/forward or a shared link shows the same view.
 */
export interface PageDefinition {
  title: string;
  body: string;
  vendor?: string[];
  styles?: string[];
}

const CYTOSCAPE = '/ui/static/vendor/cytoscape.min.js';
const UPLOT = '/ui/static/vendor/uPlot.iife.min.js';
const UPLOT_CSS = '/ui/static/vendor/uPlot.min.css';

/** The metadata filter twice: key/value rows (filled by ui.js) and the raw JSON they stand for. */
const METADATA_FILTER = `
<fieldset class="metadata" data-metadata-editor>
  <legend>Metadata filter</legend>
  <div class="kv-rows" data-kv-rows></div>
  <button type="button" class="secondary" data-add-row>Add key/value</button>
  <label class="raw">Raw JSON (containment) <textarea name="metadata" rows="2" spellcheck="false" placeholder='{"agent": "a1"}'></textarea></label>
  <p class="hint">Values are text, unless they read as JSON: <code>true</code>, <code>42</code>, <code>null</code>, <code>[…]</code>, <code>{…}</code>, <code>"quoted"</code>.</p>
</fieldset>`;

const TIME_RANGE = `
<label>From <input name="ts_start" type="datetime-local" step="1"></label>
<label>To <input name="ts_end" type="datetime-local" step="1"></label>`;

const PAGER = `<nav class="pager" aria-label="Pages" data-pager hidden></nav>`;

const graphBlock = (label: string) => `
<p id="graph-summary" class="summary" aria-live="polite"></p>
<div id="graph" class="graph" role="img" aria-label="${label}"></div>
<details class="graph-table">
  <summary>Nodes as a table</summary>
  <table><caption>Nodes drawn</caption><thead><tr><th scope="col">Node</th><th scope="col">Type</th><th scope="col">Depth</th></tr></thead><tbody id="graph-nodes"></tbody></table>
</details>`;

export const PAGES: Record<string, PageDefinition> = {
  dashboard: {
    title: 'Dashboard',
    body: `
<section class="cards" aria-label="Totals">
  <div class="card"><h2>Events</h2><p class="figure" id="events-total">…</p></div>
  <div class="card"><h2>Repositories</h2><p class="figure" id="repositories-total">…</p></div>
  <div class="card"><h2>Code chunks</h2><p class="figure" id="chunks-total">…</p></div>
  <div class="card"><h2>Database</h2><p class="figure" id="database-engine">…</p></div>
</section>
<h2>Latest events</h2>
<table><thead><tr><th scope="col">Time</th><th scope="col">Content</th><th scope="col">Metadata</th></tr></thead><tbody id="latest-events"></tbody></table>
<p><a href="/ui/memory/events">All events</a></p>`,
  },
  'memory-events': {
    title: 'Events',
    body: `
<form id="events-form" class="filters" method="get">
  ${METADATA_FILTER}
  <div class="row">${TIME_RANGE}
  <label>Per page <select name="limit"><option>20</option><option>50</option><option>100</option></select></label>
  <button type="submit">Filter</button></div>
</form>
<p id="list-summary" class="summary"></p>
<table><thead><tr><th scope="col">Time</th><th scope="col">Content</th><th scope="col">Metadata</th><th scope="col">Model</th></tr></thead><tbody id="events"></tbody></table>
${PAGER}`,
  },
  'memory-search': {
    title: 'Memory search',
    body: `
<form id="memory-search-form" class="filters" method="get" role="search">
  <div class="row">
  <label class="grow">Query <input name="query" type="search" placeholder="What do you remember about…"></label>
  <label>Mode <select name="mode"><option value="hybrid">hybrid</option><option value="vector">vector</option><option value="lexical">lexical</option></select></label>
  <label>Per page <select name="limit"><option>10</option><option>20</option><option>50</option><option>100</option></select></label>
  </div>
  ${METADATA_FILTER}
  <div class="row">${TIME_RANGE}
  <button type="submit">Search</button></div>
</form>
<p id="search-summary" class="summary" aria-live="polite"></p>
<ol id="search-results" class="results"></ol>
${PAGER}`,
  },
  'memory-event': {
    title: 'Event',
    vendor: [CYTOSCAPE],
    body: `
<dl id="event-details" class="details"></dl>
<h2>Content</h2>
<pre id="event-content"></pre>
<h2>Metadata</h2>
<pre id="event-metadata"></pre>
<p><button type="button" id="delete-event" class="danger">Delete this event</button></p>
<dialog id="confirm-delete" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Delete this event?</h2>
    <p>The event, its graph node and its edges are deleted. This cannot be undone.</p>
    <div class="row"><button value="cancel" class="secondary" autofocus>Cancel</button><button value="delete" class="danger">Delete</button></div>
  </form>
</dialog>
<h2>Graph neighbors</h2>
<form id="neighbors-form" class="filters row" method="get">
  <label>Depth <input name="depth" type="number" min="1" max="5" value="1"></label>
  <label>Direction <select name="direction"><option value="both">both</option><option value="out">out</option><option value="in">in</option></select></label>
  <button type="submit">Show</button>
</form>
${graphBlock('Graph of the event and its neighbors')}`,
  },
  'memory-graph': {
    title: 'Memory graph',
    vendor: [CYTOSCAPE],
    body: `
<form id="graph-form" class="filters row" method="get">
  <label>Node type <input name="type" placeholder="all"></label>
  <label>Most nodes <input name="limit" type="number" min="1" max="2000" value="300"></label>
  <button type="submit">Show</button>
</form>
${graphBlock('Memory graph')}`,
  },
  'code-repositories': {
    title: 'Code repositories',
    body: `
<table><thead><tr><th scope="col">Repository</th><th scope="col">Files</th><th scope="col">Chunks</th><th scope="col">Languages</th><th scope="col">Last indexed</th><th scope="col">Actions</th></tr></thead>
<tbody id="repositories"></tbody></table>
<dialog id="confirm-delete" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Delete this repository?</h2>
    <p id="confirm-text"></p>
    <div class="row"><button value="cancel" class="secondary" autofocus>Cancel</button><button value="delete" class="danger">Delete</button></div>
  </form>
</dialog>`,
  },
  'code-chunks': {
    title: 'Code chunks',
    body: `
<form id="chunks-form" class="filters row" method="get">
  <label>Repository <input name="repository" required></label>
  <label>File path <input name="path" placeholder="src/app.ts"></label>
  <label>Language <input name="language" placeholder="all"></label>
  <label>Type <select name="chunk_type"><option value="">all</option><option>function</option><option>method</option><option>class</option><option>interface</option><option>module</option><option>block</option></select></label>
  <button type="submit">List</button>
</form>
<p id="list-summary" class="summary"></p>
<table><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">File</th><th scope="col">Lines</th><th scope="col">Language</th></tr></thead><tbody id="chunks"></tbody></table>
${PAGER}`,
  },
  'code-chunk': {
    title: 'Code chunk',
    body: `
<dl id="chunk-details" class="details"></dl>
<p id="chunk-links" class="links"></p>
<h2>Source</h2>
<pre class="source"><code id="chunk-source" class="hljs"></code></pre>
<div class="columns">
  <section aria-labelledby="callers-title"><h2 id="callers-title">Direct callers</h2><ul id="chunk-callers" class="plain"></ul></section>
  <section aria-labelledby="callees-title"><h2 id="callees-title">Direct callees</h2><ul id="chunk-callees" class="plain"></ul></section>
</div>`,
  },
  'code-search': {
    title: 'Code search',
    body: `
<form id="code-search-form" class="filters row" method="get" role="search">
  <label class="grow">Query <input name="query" type="search" placeholder="function name, identifier or description"></label>
  <label>Mode <select name="mode"><option value="hybrid">hybrid</option><option value="lexical">lexical</option><option value="vector">vector</option></select></label>
  <label>Repository <input name="repository" placeholder="all"></label>
  <label>Language <input name="language" placeholder="all"></label>
  <label>Results <select name="limit"><option>20</option><option>50</option><option>100</option></select></label>
  <button type="submit">Search</button>
</form>
<p id="search-summary" class="summary" aria-live="polite"></p>
<ol id="search-results" class="results"></ol>`,
  },
  'code-upload': {
    title: 'Index code',
    body: `
<form id="code-upload-form" class="stack">
  <label>Repository name <input name="repository" required placeholder="my-service"></label>
  <label>Source folder <input name="files" type="file" webkitdirectory multiple required></label>
  <label class="check"><input name="embeddings" type="checkbox" checked> compute embeddings</label>
  <button type="submit">Index</button>
</form>
<label class="progress" hidden>Progress <progress id="upload-progress" max="1" value="0"></progress></label>
<pre id="upload-result"></pre>`,
  },
  'code-graph': {
    title: 'Code graph',
    vendor: [CYTOSCAPE],
    body: `
<form id="code-graph-form" class="filters row" method="get">
  <label>Repository <input name="repository" required list="repository-names"></label>
  <datalist id="repository-names"></datalist>
  <label class="grow">Symbol <input name="symbol" required placeholder="function or Class.method"></label>
  <label>Show <select name="direction"><option value="callers">callers</option><option value="callees">callees</option><option value="path">shortest call path to…</option></select></label>
  <label>Path to <input name="to" placeholder="for a path"></label>
  <label>Depth <input name="depth" type="number" min="1" max="10" value="2"></label>
  <label>Most nodes <input name="limit" type="number" min="1" max="2000" value="500"></label>
  <button type="submit">Show</button>
</form>
${graphBlock('Call graph')}`,
  },
  monitoring: {
    title: 'Monitoring',
    vendor: [UPLOT],
    styles: [UPLOT_CSS],
    body: `
<section class="cards" id="health-cards" aria-label="Health"></section>
<p class="summary">The last hour, per minute, from this API process's own metrics (kept in memory since it started). Refreshes every 15 s. <span id="refreshed"></span></p>
<div class="charts">
  <figure class="chart" data-chart="rate"><figcaption>Requests per minute (all routes) and server errors (5xx)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="error-rate"><figcaption>Server error rate (% of requests)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="route-rate"><figcaption>Requests per minute by route (busiest routes)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="route-p50"><figcaption>p50 latency by route (ms)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="route-p95"><figcaption>p95 latency by route (ms)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="search"><figcaption>Search latency by mode, p50 and p95 (ms)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="embedding"><figcaption>Embedding latency, p50 and p95 (ms per call)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="database"><figcaption>Database round trip, p50 and p95 (ms, sampled every 15 s)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="stored"><figcaption>Events and code chunks stored</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="queue"><figcaption>Worker queue depth (jobs waiting)</figcaption><div class="plot"></div></figure>
</div>
<h2>Routes over the last hour</h2>
<table><thead><tr><th scope="col">Route</th><th scope="col">Requests</th><th scope="col">5xx</th><th scope="col">Worst p95 (ms)</th></tr></thead><tbody id="route-table"></tbody></table>`,
  },
};
