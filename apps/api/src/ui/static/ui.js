// MnemoLite web UI: each page is a server-rendered shell; this script fills it from the JSON API.
// A page's inputs live in its URL (forms are GET forms), so reload, back/forward and shared links
// show the same view: on load, the form is filled from the URL and the view is drawn from it.
(function () {
  'use strict';
  const page = document.body.dataset.page;
  const flash = document.getElementById('flash');
  const statusLine = document.getElementById('status');
  const keyForm = document.getElementById('api-key-form');
  const params = new URLSearchParams(location.search);

  function showError(message) {
    flash.textContent = message;
    flash.hidden = false;
  }
  function say(message) {
    statusLine.textContent = message;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  }
  function link(href, text) {
    return el('a', { href }, text);
  }
  function uiUrl(path, query) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query || {}))
      if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
    const text = search.toString();
    return path + (text ? '?' + text : '');
  }

  // ---- API key and namespace ------------------------------------------------------------------
  // The key lives in sessionStorage only: it is gone when the tab closes, and never reaches
  // localStorage or a cookie. The namespace chosen is kept the same way, per tab.
  const KEY = 'mnemolite.apiKey';
  const NAMESPACE = 'mnemolite.namespace';
  const NAMESPACE_PROMPT = 'This key may use several namespaces: choose one.';
  const namespaceForm = document.getElementById('namespace-form');
  const forgetKey = document.getElementById('forget-key');

  function askForKey(message) {
    document.getElementById('api-key-reason').textContent = message;
    keyForm.hidden = false;
    const input = keyForm.elements.key;
    if (document.activeElement === document.body || !document.activeElement) input.focus();
  }
  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = String(new FormData(keyForm).get('key') || '').trim();
    if (!key) return;
    sessionStorage.setItem(KEY, key);
    sessionStorage.removeItem(NAMESPACE);
    location.reload();
  });
  forgetKey.hidden = !sessionStorage.getItem(KEY);
  forgetKey.addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(NAMESPACE);
    location.reload();
  });
  namespaceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = namespaceForm.elements.namespace.value.trim();
    if (!namespaceForm.reportValidity()) return;
    sessionStorage.setItem(NAMESPACE, name);
    location.reload();
  });

  /** Calls the JSON API with the tab's key and namespace; shows the contract's error message on failure. */
  async function api(method, path, body, withResponse) {
    const headers = { Accept: 'application/json' };
    const key = sessionStorage.getItem(KEY);
    if (key) headers.Authorization = 'Bearer ' + key;
    const namespace = sessionStorage.getItem(NAMESPACE);
    if (namespace) headers['X-Namespace'] = namespace;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const data = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
    if (!response.ok) {
      let message = data && data.error ? data.error.message : response.status + ' ' + response.statusText;
      if (response.status === 401) askForKey(message + ' Enter a key; it is kept for this tab only.');
      // A key with several namespaces and none chosen yet: every data call of the page fails alike, in
      // whatever order they answer; each says the same thing as the namespace prompt.
      if (response.status === 400 && data && data.error && data.error.details && data.error.details.field === 'X-Namespace' && !namespace) {
        message = NAMESPACE_PROMPT;
      }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return withResponse ? { data, response } : data;
  }

  /** Shows the namespace this tab works in, and the key's namespaces to switch to (any name for "*" keys). */
  async function showAccess() {
    let me;
    try {
      me = await api('GET', '/v1/access/whoami');
    } catch (error) {
      // A namespace kept from earlier that this key may not use: forget it and ask again.
      if (error.status !== 403 || !sessionStorage.getItem(NAMESPACE)) return;
      sessionStorage.removeItem(NAMESPACE);
      me = await api('GET', '/v1/access/whoami');
    }
    const input = namespaceForm.elements.namespace;
    const options = document.getElementById('namespace-options');
    options.textContent = '';
    const all = me.namespaces.includes('*');
    for (const name of me.namespaces.filter((item) => item !== '*')) options.append(el('option', { value: name }));
    input.value = me.namespace || '';
    input.placeholder = me.namespace ? '' : 'choose one';
    input.title = all ? 'Any namespace name: 1-64 letters, digits, ".", "_" or "-"' : 'One of: ' + me.namespaces.join(', ');
    namespaceForm.dataset.current = me.namespace || '';
    namespaceForm.hidden = false;
    if (me.namespace === null) askNamespace(NAMESPACE_PROMPT);
  }
  function askNamespace(message) {
    showError(message);
    namespaceForm.elements.namespace.focus();
  }

  function preview(content) {
    const text =
      content && typeof content === 'object'
        ? content.text || content.body || content.message || content.title || JSON.stringify(content)
        : String(content);
    const flat = typeof text === 'string' ? text : JSON.stringify(text);
    return flat.length > 200 ? flat.slice(0, 200) + '…' : flat;
  }
  function time(iso) {
    return el('time', { datetime: iso }, new Date(iso).toLocaleString());
  }

  // ---- URL-kept forms ------------------------------------------------------------------------

  /** Fills a form's named fields from the URL. */
  function fillForm(form) {
    for (const field of form.elements) {
      if (!field.name || field.type === 'file') continue;
      if (field.type === 'checkbox') {
        if (params.has(field.name)) field.checked = params.get(field.name) === 'true';
      } else if (params.has(field.name)) field.value = params.get(field.name);
    }
  }

  /**
   * A submitted form becomes the page's URL (empty fields left out; the page number reset), and
   * the browser loads it: history holds every view, and the view is always drawn from the URL.
   */
  function keepInUrl(form, extra) {
    fillForm(form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const search = new URLSearchParams();
      for (const field of form.elements) {
        if (!field.name || field.type === 'file' || field.disabled) continue;
        const value = field.type === 'checkbox' ? String(field.checked) : field.value.trim();
        if (value !== '') search.set(field.name, value);
      }
      for (const [name, value] of Object.entries(extra ? extra() : {})) search.set(name, value);
      location.assign(location.pathname + (search.toString() ? '?' + search : ''));
    });
  }

  function intParam(name, fallback, min, max) {
    const value = Number(params.get(name));
    return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  }
  /** `datetime-local` values (local time, no zone) as the API's ISO timestamps. */
  function isoParam(name) {
    const value = params.get(name);
    if (!value) return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }

  /** Previous/next links and "page N of M", as plain links: each page is its own URL. */
  function renderPager(total, limit, pageNumber) {
    const nav = document.querySelector('[data-pager]');
    if (!nav) return;
    nav.textContent = '';
    const pages = Math.max(1, Math.ceil(total / limit));
    nav.hidden = pages <= 1;
    const at = (n) => {
      const search = new URLSearchParams(location.search);
      if (n === 1) search.delete('page');
      else search.set('page', String(n));
      return location.pathname + (search.toString() ? '?' + search : '');
    };
    if (pageNumber > 1) nav.append(el('a', { href: at(pageNumber - 1), rel: 'prev' }, '← Previous'));
    nav.append(el('span', {}, 'Page ' + pageNumber + ' of ' + pages));
    if (pageNumber < pages) nav.append(el('a', { href: at(pageNumber + 1), rel: 'next' }, 'Next →'));
  }

  // ---- metadata filter: key/value rows and raw JSON ------------------------------------------

  function parseValue(text) {
    const trimmed = text.trim();
    if (/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(trimmed) || /^[[{"]/.test(trimmed)) {
      try {
        return JSON.parse(trimmed);
      } catch {
        return text;
      }
    }
    return text;
  }
  function showValue(value) {
    return typeof value === 'string' && parseValue(value) === value ? value : JSON.stringify(value);
  }

  /** Keeps the rows and the JSON in step: editing rows rewrites the JSON; a flat JSON object rewrites the rows. */
  function bindMetadataEditor(form) {
    const editor = form.querySelector('[data-metadata-editor]');
    if (!editor) return;
    const rows = editor.querySelector('[data-kv-rows]');
    const raw = form.elements.metadata;
    let counter = 0;
    const writeJson = () => {
      const object = {};
      for (const row of rows.children) {
        const key = row.querySelector('.kv-key').value.trim();
        if (key) object[key] = parseValue(row.querySelector('.kv-value').value);
      }
      raw.value = Object.keys(object).length ? JSON.stringify(object) : '';
    };
    const addRow = (key, value) => {
      counter++;
      const keyInput = el('input', { class: 'kv-key', value: key || '', autocomplete: 'off' });
      const valueInput = el('input', { class: 'kv-value', value: value === undefined ? '' : showValue(value), autocomplete: 'off' });
      const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': 'Remove key/value row ' + counter }, 'Remove');
      const row = el('div', { class: 'kv-row' }, el('label', {}, 'Key ', keyInput), el('label', {}, 'Value ', valueInput), remove);
      keyInput.addEventListener('input', writeJson);
      valueInput.addEventListener('input', writeJson);
      remove.addEventListener('click', () => {
        row.remove();
        writeJson();
        editor.querySelector('[data-add-row]').focus();
      });
      rows.append(row);
      return keyInput;
    };
    const readJson = () => {
      rows.textContent = '';
      if (!raw.value.trim()) return addRow();
      try {
        const object = JSON.parse(raw.value);
        const flat = object && typeof object === 'object' && !Array.isArray(object);
        if (!flat) return;
        for (const [key, value] of Object.entries(object)) addRow(key, value);
      } catch {
        // Not JSON yet: the rows wait; the API says what is wrong when the form is sent.
      }
    };
    editor.querySelector('[data-add-row]').addEventListener('click', () => addRow().focus());
    raw.addEventListener('change', readJson);
    readJson();
  }

  function metadataParam() {
    const text = params.get('metadata');
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new Error('The metadata filter must be a JSON object.');
    }
  }

  // ---- graphs --------------------------------------------------------------------------------

  /**
   * Draws nodes and edges with Cytoscape and lists the nodes in a table (for keyboard and screen
   * reader use). Only edges whose two ends are drawn are handed to Cytoscape: the API's answers are
   * closed, and this keeps a page drawing even if one were not. The drawn counts go on the container.
   */
  function drawGraph(nodes, edges, options) {
    const container = document.getElementById('graph');
    const table = document.getElementById('graph-nodes');
    if (!window.cytoscape) return showError('Graph library failed to load.');
    container.textContent = '';
    table.textContent = '';
    const ids = new Set(nodes.map((node) => node.id));
    const drawable = edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
    if (nodes.length === 0) {
      container.dataset.nodes = '0';
      container.dataset.edges = '0';
      container.append(el('p', { class: 'empty' }, options.empty || 'Nothing to draw.'));
      return null;
    }
    const cy = window.cytoscape({
      container,
      elements: {
        nodes: nodes.map((node) => ({
          data: { id: node.id, label: node.label, root: node.depth === 0 ? 'yes' : 'no', href: options.href ? options.href(node) : '' },
        })),
        edges: drawable.map((edge) => ({ data: { id: edge.id, source: edge.source, target: edge.target, relation: edge.relation } })),
      },
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 9,
            'background-color': '#2f5bd3',
            width: 14,
            height: 14,
            color: '#1c2330',
            'text-wrap': 'ellipsis',
            'text-max-width': '140px',
          },
        },
        { selector: 'node[root = "yes"]', style: { 'background-color': '#b42318', width: 20, height: 20 } },
        {
          selector: 'edge',
          style: {
            width: 1,
            'line-color': '#98a2b3',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': '#98a2b3',
            'curve-style': 'bezier',
            label: options.edgeLabels ? 'data(relation)' : '',
            'font-size': 7,
          },
        },
      ],
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 2.5,
    });
    const depthOf = new Map(nodes.map((node) => [node.id, node.depth ?? 0]));
    const deepest = Math.max(0, ...depthOf.values());
    const hasRoots = nodes.some((node) => node.depth === 0);
    // Walks: rings by depth around the start; other graphs: force-directed, or a grid when large.
    cy.layout(
      hasRoots && nodes.length <= 400
        ? {
            name: 'concentric',
            concentric: (node) => deepest + 1 - depthOf.get(node.id()),
            levelWidth: () => 1,
            minNodeSpacing: 30,
            animate: false,
          }
        : { name: nodes.length > 200 ? 'grid' : 'cose', animate: false, avoidOverlap: true },
    ).run();
    cy.on('tap', 'node', (event) => {
      const href = event.target.data('href');
      if (href) location.assign(href);
    });
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    for (const node of nodes.slice(0, 2000)) {
      const href = options.href ? options.href(node) : '';
      table.append(
        el('tr', {}, el('td', {}, href ? link(href, node.label) : node.label), el('td', {}, node.type), el('td', {}, node.depth ?? '')),
      );
    }
    return cy;
  }

  function graphSummary(text) {
    document.getElementById('graph-summary').textContent = text;
  }

  // ---- pages ---------------------------------------------------------------------------------

  function eventRow(event, withModel) {
    const cells = [
      el('td', {}, link('/ui/memory/events/' + event.id, new Date(event.timestamp).toLocaleString())),
      el('td', {}, preview(event.content)),
      el('td', {}, el('code', {}, JSON.stringify(event.metadata))),
    ];
    if (withModel) cells.push(el('td', {}, event.embedding_model || (event.has_embedding ? '' : 'none')));
    return el('tr', {}, ...cells);
  }

  const pages = {
    async dashboard() {
      const [health, events, repositories] = await Promise.all([
        api('GET', '/v1/health'),
        api('GET', '/v1/events?limit=10'),
        api('GET', '/v1/code/repositories'),
      ]);
      document.getElementById('events-total').textContent = events.total;
      document.getElementById('repositories-total').textContent = repositories.length;
      document.getElementById('chunks-total').textContent = repositories.reduce((sum, r) => sum + r.chunks, 0);
      document.getElementById('database-engine').textContent = health.database.engine + ' ' + (health.database.server_version || '');
      const rows = document.getElementById('latest-events');
      if (events.items.length === 0) rows.append(el('tr', {}, el('td', { colspan: '3', class: 'empty' }, 'No events yet.')));
      for (const event of events.items) rows.append(eventRow(event, false));
    },

    async 'memory-events'() {
      const form = document.getElementById('events-form');
      keepInUrl(form);
      bindMetadataEditor(form);
      const limit = intParam('limit', 20, 1, 1000);
      const pageNumber = intParam('page', 1, 1, 100000);
      const query = new URLSearchParams({ limit: String(limit), offset: String((pageNumber - 1) * limit) });
      const metadata = metadataParam();
      if (metadata !== undefined) query.set('metadata', JSON.stringify(metadata));
      for (const name of ['ts_start', 'ts_end']) if (isoParam(name)) query.set(name, isoParam(name));
      const list = await api('GET', '/v1/events?' + query);
      const rows = document.getElementById('events');
      if (list.items.length === 0)
        rows.append(
          el('tr', {}, el('td', { colspan: '4', class: 'empty' }, list.total === 0 ? 'No events match.' : 'No events on this page.')),
        );
      for (const event of list.items) rows.append(eventRow(event, true));
      const first = list.total === 0 ? 0 : list.offset + 1;
      document.getElementById('list-summary').textContent =
        'Events ' + first + '–' + (list.offset + list.items.length) + ' of ' + list.total + ', newest first.';
      if (params.get('deleted')) say('Event ' + params.get('deleted') + ' was deleted.');
      renderPager(list.total, limit, pageNumber);
    },

    async 'memory-search'() {
      const form = document.getElementById('memory-search-form');
      keepInUrl(form);
      bindMetadataEditor(form);
      if (![...params.keys()].some((name) => ['query', 'metadata', 'ts_start', 'ts_end'].includes(name))) {
        document.getElementById('search-summary').textContent = 'Type a query, or set a filter, and press Search.';
        return;
      }
      const limit = intParam('limit', 10, 1, 100);
      const pageNumber = intParam('page', 1, 1, 1000);
      const body = { mode: params.get('mode') || 'hybrid', limit, offset: (pageNumber - 1) * limit };
      if (params.get('query')) body.query = params.get('query');
      const metadata = metadataParam();
      if (metadata !== undefined) body.metadata = metadata;
      for (const name of ['ts_start', 'ts_end']) if (isoParam(name)) body[name] = isoParam(name);
      const result = await api('POST', '/v1/search', body);
      document.getElementById('search-summary').textContent =
        (result.total === 0
          ? 'No results'
          : 'Results ' + (body.offset + 1) + '–' + (body.offset + result.results.length) + ' of ' + result.total) +
        ' (' +
        result.mode +
        ', ' +
        result.took_ms +
        ' ms)';
      const list = document.getElementById('search-results');
      list.start = body.offset + 1;
      for (const hit of result.results) {
        const scores = Object.entries(hit.scores || {})
          .map(([k, v]) => k + ' ' + v.toFixed(3))
          .join(', ');
        list.append(
          el(
            'li',
            {},
            el(
              'div',
              { class: 'score' },
              link('/ui/memory/events/' + hit.event.id, new Date(hit.event.timestamp).toLocaleString()),
              ' · score ' + hit.score.toFixed(3) + (scores ? ' (' + scores + ')' : ''),
            ),
            el('pre', {}, JSON.stringify(hit.event.content, null, 2)),
            el('code', {}, JSON.stringify(hit.event.metadata)),
          ),
        );
      }
      renderPager(Math.min(result.total, 10000 + limit), limit, pageNumber);
    },

    async 'memory-event'() {
      const id = decodeURIComponent(location.pathname.split('/').pop());
      const event = await api('GET', '/v1/events/' + encodeURIComponent(id));
      document.title = 'Event ' + new Date(event.timestamp).toLocaleString() + ' · MnemoLite';
      const details = document.getElementById('event-details');
      const item = (term, value) => details.append(el('dt', {}, term), el('dd', {}, value));
      item('Id', el('code', {}, event.id));
      item('Time', time(event.timestamp));
      item('Embedding model', event.embedding_model || 'none');
      item('Embedded', event.has_embedding ? 'yes' : 'no');
      document.getElementById('event-content').textContent = JSON.stringify(event.content, null, 2);
      document.getElementById('event-metadata').textContent = JSON.stringify(event.metadata, null, 2);

      const dialog = document.getElementById('confirm-delete');
      document.getElementById('delete-event').addEventListener('click', () => dialog.showModal());
      dialog.addEventListener('close', async () => {
        if (dialog.returnValue !== 'delete') return;
        try {
          await api('DELETE', '/v1/events/' + encodeURIComponent(event.id));
          location.assign(uiUrl('/ui/memory/events', { deleted: event.id }));
        } catch (error) {
          showError(error.message);
        }
      });

      const form = document.getElementById('neighbors-form');
      keepInUrl(form);
      const query = new URLSearchParams({
        depth: String(intParam('depth', 1, 1, 5)),
        direction: params.get('direction') || 'both',
        limit: '500',
      });
      const neighbors = await api('GET', '/v1/graph/nodes/' + encodeURIComponent(event.id) + '/neighbors?' + query);
      const nodes = [...neighbors.roots, ...neighbors.nodes];
      graphSummary(
        neighbors.total === 0
          ? 'No graph neighbors.'
          : neighbors.total +
              ' neighbor' +
              (neighbors.total === 1 ? '' : 's') +
              (neighbors.truncated ? ' (showing the nearest ' + neighbors.nodes.length + ' of ' + neighbors.total + ')' : ''),
      );
      drawGraph(nodes, neighbors.edges, {
        edgeLabels: true,
        empty: 'This event has no graph neighbors.',
        href: (node) => (node.type === 'event' && node.id !== event.id ? '/ui/memory/events/' + node.id : ''),
      });
    },

    async 'memory-graph'() {
      const form = document.getElementById('graph-form');
      keepInUrl(form);
      const limit = intParam('limit', 300, 1, 2000);
      const query = new URLSearchParams({ limit: String(limit) });
      if (params.get('type')) query.set('type', params.get('type'));
      const { data, response } = await api('GET', '/v1/graph?' + query, undefined, true);
      const total = Number(response.headers.get('X-Total-Count') || data.elements.nodes.length);
      const nodes = data.elements.nodes.map((item) => item.data);
      const edges = data.elements.edges.map((item) => item.data);
      graphSummary(
        nodes.length === total
          ? total + ' nodes, ' + edges.length + ' edges'
          : 'Showing the newest ' + nodes.length + ' of ' + total + ' nodes (' + edges.length + ' edges among them)',
      );
      drawGraph(nodes, edges, {
        edgeLabels: nodes.length <= 100,
        empty: 'The memory graph is empty: events and nodes appear here once stored.',
        href: (node) => (node.type === 'event' ? '/ui/memory/events/' + node.id : ''),
      });
    },

    async 'code-repositories'() {
      const rows = document.getElementById('repositories');
      const dialog = document.getElementById('confirm-delete');
      let pending = null;
      dialog.addEventListener('close', async () => {
        const name = pending;
        pending = null;
        if (dialog.returnValue !== 'delete' || !name) return;
        try {
          await api('DELETE', '/v1/code/repositories/' + encodeURIComponent(name));
          await render();
          say('Repository ' + name + ' was deleted.');
        } catch (error) {
          showError(error.message);
        }
      });
      // The table is replaced in one step once the list is in, so it is never seen half drawn.
      const render = async () => {
        const repositories = await api('GET', '/v1/code/repositories');
        rows.textContent = '';
        if (repositories.length === 0)
          rows.append(
            el('tr', {}, el('td', { colspan: '6', class: 'empty' }, 'No repositories yet. ', link('/ui/code/upload', 'Index one'))),
          );
        for (const repo of repositories) {
          const remove = el('button', { class: 'danger small', type: 'button' }, 'Delete');
          remove.setAttribute('aria-label', 'Delete ' + repo.repository);
          remove.addEventListener('click', () => {
            pending = repo.repository;
            document.getElementById('confirm-text').textContent =
              'Delete ' + repo.repository + ' with its ' + repo.chunks + ' chunks and its graph? This cannot be undone.';
            dialog.showModal();
          });
          const languages = Object.entries(repo.languages)
            .map(([name, count]) => name + ' ' + count)
            .join(', ');
          rows.append(
            el(
              'tr',
              {},
              el('td', {}, link(uiUrl('/ui/code/chunks', { repository: repo.repository }), repo.repository)),
              el('td', {}, repo.files),
              el('td', {}, repo.chunks),
              el('td', {}, languages),
              el('td', {}, repo.last_indexed_at ? new Date(repo.last_indexed_at).toLocaleString() : ''),
              el('td', {}, link(uiUrl('/ui/code/search', { repository: repo.repository }), 'Search'), ' ', remove),
            ),
          );
        }
      };
      await render();
    },

    async 'code-chunks'() {
      const form = document.getElementById('chunks-form');
      keepInUrl(form);
      const repository = params.get('repository');
      if (!repository) {
        document.getElementById('list-summary').textContent = 'Name a repository to list its chunks.';
        return;
      }
      const limit = 50;
      const pageNumber = intParam('page', 1, 1, 100000);
      const query = new URLSearchParams({ repository, limit: String(limit), offset: String((pageNumber - 1) * limit) });
      for (const name of ['path', 'language', 'chunk_type']) if (params.get(name)) query.set(name, params.get(name));
      const list = await api('GET', '/v1/code/chunks?' + query);
      const rows = document.getElementById('chunks');
      if (list.items.length === 0) rows.append(el('tr', {}, el('td', { colspan: '5', class: 'empty' }, 'No chunks match.')));
      for (const chunk of list.items) {
        rows.append(
          el(
            'tr',
            {},
            el('td', {}, link('/ui/code/chunks/' + chunk.id, chunk.qualified_name || chunk.name || '(anonymous)')),
            el('td', {}, chunk.chunk_type),
            el('td', {}, chunk.file_path),
            el('td', {}, chunk.start_line + '–' + chunk.end_line),
            el('td', {}, chunk.language),
          ),
        );
      }
      const first = list.total === 0 ? 0 : list.offset + 1;
      document.getElementById('list-summary').textContent =
        'Chunks ' + first + '–' + (list.offset + list.items.length) + ' of ' + list.total + ' in ' + repository + ', by path and line.';
      renderPager(list.total, limit, pageNumber);
    },

    async 'code-chunk'() {
      const id = decodeURIComponent(location.pathname.split('/').pop());
      const chunk = await api('GET', '/v1/code/chunks/' + encodeURIComponent(id) + '?highlight=true');
      const name = chunk.qualified_name || chunk.name || chunk.file_path;
      document.querySelector('h1').textContent = name;
      document.title = name + ' · MnemoLite';
      const details = document.getElementById('chunk-details');
      const item = (term, value) => details.append(el('dt', {}, term), el('dd', {}, value));
      item('Repository', link(uiUrl('/ui/code/chunks', { repository: chunk.repository }), chunk.repository));
      item(
        'File',
        link(
          uiUrl('/ui/code/chunks', { repository: chunk.repository, path: chunk.file_path }),
          chunk.file_path + ':' + chunk.start_line + '–' + chunk.end_line,
        ),
      );
      item('Type', chunk.chunk_type + ' · ' + chunk.language);
      if (chunk.signature) item('Signature', el('code', {}, chunk.signature));
      if (chunk.docstring) item('Docstring', chunk.docstring);
      // The server highlighted and escaped the source (highlight.js); it is inserted as given.
      document.getElementById('chunk-source').innerHTML = chunk.source_html;
      const symbol = chunk.qualified_name || chunk.name;
      const links = document.getElementById('chunk-links');
      const callersList = document.getElementById('chunk-callers');
      const calleesList = document.getElementById('chunk-callees');
      if (!symbol || !['function', 'method'].includes(chunk.chunk_type)) {
        callersList.append(el('li', { class: 'empty' }, 'Only functions and methods have callers.'));
        calleesList.append(el('li', { class: 'empty' }, 'Only functions and methods have callees.'));
        return;
      }
      links.append(
        link(uiUrl('/ui/code/graph', { repository: chunk.repository, symbol, direction: 'callers', depth: 2 }), 'Callers graph'),
        ' · ',
        link(uiUrl('/ui/code/graph', { repository: chunk.repository, symbol, direction: 'callees', depth: 2 }), 'Callees graph'),
      );
      const fill = async (direction, list) => {
        try {
          const walk = await api(
            'GET',
            '/v1/code/graph/' + direction + '?' + new URLSearchParams({ repository: chunk.repository, symbol, depth: '1', limit: '200' }),
          );
          if (walk.nodes.length === 0) list.append(el('li', { class: 'empty' }, 'None found.'));
          for (const node of walk.nodes) {
            const target = node.properties && node.properties.chunk_id ? '/ui/code/chunks/' + node.properties.chunk_id : '';
            const where =
              node.properties && node.properties.file_path ? ' — ' + node.properties.file_path + ':' + node.properties.start_line : '';
            list.append(el('li', {}, target ? link(target, node.label) : node.label, where));
          }
          if (walk.truncated) list.append(el('li', { class: 'empty' }, 'Showing ' + walk.nodes.length + ' of ' + walk.total + '.'));
        } catch (error) {
          list.append(el('li', { class: 'empty' }, error.message));
        }
      };
      await Promise.all([fill('callers', callersList), fill('callees', calleesList)]);
    },

    async 'code-search'() {
      const form = document.getElementById('code-search-form');
      keepInUrl(form);
      if (!params.get('query')) {
        document.getElementById('search-summary').textContent = 'Type a function name, an identifier or a description, and press Search.';
        return;
      }
      const body = { query: params.get('query'), mode: params.get('mode') || 'hybrid', limit: intParam('limit', 20, 1, 100) };
      if (params.get('repository')) body.repository = params.get('repository');
      if (params.get('language')) body.language = params.get('language');
      const result = await api('POST', '/v1/code/search', body);
      document.getElementById('search-summary').textContent = result.results.length + ' results (' + result.took_ms + ' ms)';
      const list = document.getElementById('search-results');
      for (const hit of result.results) {
        const chunk = hit.chunk;
        list.append(
          el(
            'li',
            {},
            el(
              'div',
              {},
              link('/ui/code/chunks/' + chunk.id, chunk.qualified_name || chunk.name || chunk.file_path),
              ' ',
              el(
                'span',
                { class: 'muted' },
                chunk.chunk_type + ' · ' + chunk.repository + '/' + chunk.file_path + ':' + chunk.start_line + '–' + chunk.end_line,
              ),
            ),
            el('div', { class: 'score' }, 'score ' + hit.score.toFixed(3)),
            el('pre', {}, chunk.signature || ''),
          ),
        );
      }
    },

    'code-upload'() {
      const form = document.getElementById('code-upload-form');
      fillForm(form);
      const progress = document.getElementById('upload-progress');
      const output = document.getElementById('upload-result');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        flash.hidden = true;
        const repository = form.elements.repository.value.trim();
        history.replaceState(null, '', uiUrl(location.pathname, { repository, embeddings: String(form.elements.embeddings.checked) }));
        const skipped = /(^|\/)(node_modules|\.git|dist|build)\//;
        const files = Array.from(form.elements.files.files).filter(
          (file) => file.size <= 1024 * 1024 && !skipped.test(file.webkitRelativePath),
        );
        const totals = { files_indexed: 0, files_unchanged: 0, files_failed: 0, chunks: 0, errors: [] };
        progress.parentElement.hidden = false;
        progress.max = files.length;
        progress.value = 0;
        try {
          for (let start = 0; start < files.length; start += 100) {
            const batch = await Promise.all(
              files.slice(start, start + 100).map(async (file) => ({
                path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name,
                content: await file.text(),
              })),
            );
            const result = await api('POST', '/v1/code/index', { repository, files: batch, embeddings: form.elements.embeddings.checked });
            for (const key of ['files_indexed', 'files_unchanged', 'files_failed', 'chunks']) totals[key] += result[key];
            totals.errors.push(...result.errors);
            progress.value = Math.min(files.length, start + 100);
            output.textContent = JSON.stringify(totals, null, 2);
          }
          say('Indexed ' + totals.files_indexed + ' files into ' + repository + '.');
        } catch (error) {
          showError(error.message);
        }
      });
    },

    async 'code-graph'() {
      const form = document.getElementById('code-graph-form');
      keepInUrl(form);
      api('GET', '/v1/code/repositories')
        .then((repositories) => {
          const names = document.getElementById('repository-names');
          for (const repo of repositories) names.append(el('option', { value: repo.repository }));
        })
        .catch(() => undefined);
      const repository = params.get('repository');
      const symbol = params.get('symbol');
      if (!repository || !symbol) {
        graphSummary('Name a repository and a function, then press Show.');
        return;
      }
      const chunkLink = (node) => (node.properties && node.properties.chunk_id ? '/ui/code/chunks/' + node.properties.chunk_id : '');
      if (params.get('direction') === 'path') {
        const to = params.get('to');
        if (!to) return graphSummary('Name the function the path should reach ("Path to"), then press Show.');
        const maxDepth = String(intParam('depth', 2, 1, 10));
        const path = await api('GET', '/v1/code/graph/path?' + new URLSearchParams({ repository, from: symbol, to, max_depth: maxDepth }));
        graphSummary(
          path.found
            ? 'Shortest call path from ' + symbol + ' to ' + to + ': ' + path.edges.length + ' call' + (path.edges.length === 1 ? '' : 's')
            : 'No call path from ' + symbol + ' to ' + to + ' within ' + maxDepth + ' calls.',
        );
        drawGraph(
          path.nodes.map((node, i) => ({ ...node, depth: i })),
          path.edges,
          { empty: 'No path to draw.', href: chunkLink },
        );
        return;
      }
      const direction = params.get('direction') === 'callees' ? 'callees' : 'callers';
      const query = new URLSearchParams({
        repository,
        symbol,
        depth: String(intParam('depth', 2, 1, 10)),
        limit: String(intParam('limit', 500, 1, 2000)),
      });
      const walk = await api('GET', '/v1/code/graph/' + direction + '?' + query);
      const shown = walk.truncated ? ' — showing the nearest ' + walk.nodes.length + ' of ' + walk.total : '';
      graphSummary(
        walk.total +
          ' ' +
          direction +
          ' of ' +
          symbol +
          ' within depth ' +
          query.get('depth') +
          shown +
          ' (' +
          walk.edges.length +
          ' calls drawn)',
      );
      drawGraph([...walk.roots, ...walk.nodes], walk.edges, {
        empty: 'No ' + direction + ' of ' + symbol + ' were found.',
        href: chunkLink,
      });
    },

    async monitoring() {
      await Promise.all([renderHealth(), renderCharts()]);
      setInterval(() => {
        renderHealth().catch((error) => showError(error.message));
        renderCharts().catch((error) => showError(error.message));
      }, 15000);
    },
  };

  // ---- monitoring ----------------------------------------------------------------------------

  async function renderHealth() {
    const health = await api('GET', '/v1/health');
    const cards = document.getElementById('health-cards');
    cards.textContent = '';
    const card = (title, value, ok) =>
      el('div', { class: 'card' }, el('h2', {}, title), el('p', { class: 'figure ' + (ok ? 'ok' : 'bad') }, value));
    cards.append(
      card('Status', health.status, health.status === 'ok'),
      card('Database', health.database.engine + ' ' + (health.database.server_version || ''), health.database.ok),
      card('DB latency now', (health.database.latency_ms ?? '–') + ' ms', health.database.ok),
      card('Uptime', formatDuration(health.uptime_s), true),
    );
    for (const [role, status] of Object.entries(health.embeddings || {}))
      cards.append(card(role + ' embeddings', status.model + ' (' + status.mode + ')', !status.reason));
  }

  function formatDuration(seconds) {
    if (seconds < 120) return seconds + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    return Math.round(seconds / 3600) + ' h';
  }

  const PALETTE = ['#2f5bd3', '#b42318', '#027a48', '#b54708', '#6941c6', '#0e7090', '#c11574', '#475467'];
  const plots = new Map();

  /** One uPlot chart per figure, created once and fed new data on each refresh; an empty state when there is nothing to show. */
  function chart(name, times, series, options) {
    const figure = document.querySelector('[data-chart="' + name + '"]');
    const box = figure.querySelector('.plot');
    const hasData = series.some((item) => item.values.some((value) => value !== null && (options.zeroIsData || value !== 0)));
    let empty = figure.querySelector('.empty');
    if (!hasData) {
      const existing = plots.get(name);
      if (existing) {
        existing.plot.destroy();
        plots.delete(name);
      }
      if (!empty) figure.append((empty = el('p', { class: 'empty' }, options.empty || 'No data yet.')));
      else empty.textContent = options.empty || 'No data yet.';
      figure.dataset.state = 'empty';
      return;
    }
    if (empty) empty.remove();
    figure.dataset.state = 'drawn';
    const data = [times, ...series.map((item) => item.values)];
    const key = series.map((item) => item.label).join('|');
    const existing = plots.get(name);
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      return;
    }
    if (existing) existing.plot.destroy();
    box.textContent = '';
    const plot = new window.uPlot(
      {
        width: Math.max(280, box.clientWidth || 480),
        height: 200,
        series: [
          {},
          ...series.map((item, i) => ({
            label: item.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 1.5,
            spanGaps: false,
            dash: item.dash,
            points: { show: true, size: 5 },
          })),
        ],
        axes: [{}, { label: options.unit || '', size: 60 }],
        scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max || 0, options.minMax || 1)] } },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      box,
    );
    plots.set(name, { plot, key });
    figure.dataset.series = String(series.length);
  }

  function busiest(family, n) {
    return Object.entries(family)
      .map(([name, series]) => [name, series, series.count.reduce((a, b) => a + b, 0)])
      .sort((a, b) => b[2] - a[2])
      .slice(0, n);
  }

  async function renderCharts() {
    if (!window.uPlot) return showError('Chart library failed to load.');
    const w = await api('GET', '/metrics/window');
    const t = w.times;
    const perMinute = (values) => values.map((value) => (value * 60) / w.bucket_seconds);
    chart(
      'rate',
      t,
      [
        { label: 'requests/min', values: perMinute(w.requests_total.count) },
        { label: '5xx/min', values: perMinute(w.requests_total.errors) },
      ],
      { unit: 'per minute', empty: 'No requests yet.' },
    );
    chart(
      'error-rate',
      t,
      [
        {
          label: '5xx %',
          values: w.requests_total.count.map((count, i) =>
            count === 0 ? null : Math.round((w.requests_total.errors[i] / count) * 10000) / 100,
          ),
        },
      ],
      { unit: '%', empty: 'No requests yet.', zeroIsData: true },
    );
    const routes = busiest(w.requests, 6);
    chart(
      'route-rate',
      t,
      routes.map(([name, series]) => ({ label: name, values: perMinute(series.count) })),
      { unit: 'per minute', empty: 'No requests yet.' },
    );
    chart(
      'route-p50',
      t,
      routes.map(([name, series]) => ({ label: name, values: series.p50_ms })),
      { unit: 'ms', empty: 'No requests yet.' },
    );
    chart(
      'route-p95',
      t,
      routes.map(([name, series]) => ({ label: name, values: series.p95_ms })),
      { unit: 'ms', empty: 'No requests yet.' },
    );
    const quantiles = (family) =>
      busiest(family, 4).flatMap(([name, series]) => [
        { label: name + ' p50', values: series.p50_ms },
        { label: name + ' p95', values: series.p95_ms, dash: [4, 3] },
      ]);
    chart('search', t, quantiles(w.search), { unit: 'ms', empty: 'No searches in the last hour.' });
    chart('embedding', t, quantiles(w.embedding), { unit: 'ms', empty: 'Nothing embedded in the last hour.' });
    chart('database', t, quantiles(w.database), { unit: 'ms', empty: 'No database samples yet.' });
    chart(
      'stored',
      t,
      [
        { label: 'events', values: w.gauges.events },
        { label: 'chunks', values: w.gauges.chunks },
      ],
      { unit: 'rows', empty: 'The database holds no events or chunks yet.' },
    );
    chart('queue', t, [{ label: 'queued jobs', values: w.gauges.queue_depth }], {
      unit: 'jobs',
      zeroIsData: true,
      empty: w.worker_connected ? 'The queue has been empty.' : 'No worker is connected (the queue is only shown while one is).',
    });
    const table = document.getElementById('route-table');
    table.textContent = '';
    const all = busiest(w.requests, 40);
    if (all.length === 0) table.append(el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'No requests yet.')));
    for (const [name, series, total] of all) {
      const worst = Math.max(0, ...series.p95_ms.filter((value) => value !== null));
      table.append(
        el(
          'tr',
          {},
          el('td', {}, name),
          el('td', {}, total),
          el(
            'td',
            {},
            series.errors.reduce((a, b) => a + b, 0),
          ),
          el('td', {}, worst),
        ),
      );
    }
    document.getElementById('refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  }

  const access = showAccess()
    .catch(() => undefined)
    .finally(() => document.body.setAttribute('data-access-ready', 'true'));
  const init = pages[page];
  if (init)
    access
      .then(init)
      .catch((error) => showError(error.message))
      .finally(() => document.body.setAttribute('data-ready', 'true'));
})();
