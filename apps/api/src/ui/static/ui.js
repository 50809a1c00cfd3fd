// MnemoLite web UI: each page is a server-rendered shell; this script fills it from the JSON API.
(function () {
  'use strict';
  const page = document.body.dataset.page;
  const flash = document.getElementById('flash');
  const keyForm = document.getElementById('api-key-form');

  function showError(message) {
    flash.textContent = message;
    flash.hidden = false;
  }
  function clearError() {
    flash.hidden = true;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  }

  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem('mnemolite.apiKey', new FormData(keyForm).get('key'));
    location.reload();
  });

  /** Calls the JSON API with the stored key; shows the contract's error message on failure. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const key = localStorage.getItem('mnemolite.apiKey');
    if (key) headers.Authorization = 'Bearer ' + key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) keyForm.hidden = false;
    const text = await response.text();
    const data = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
    if (!response.ok) {
      const message = data && data.error ? data.error.message : response.status + ' ' + response.statusText;
      throw new Error(message);
    }
    return data;
  }

  function formValues(form) {
    const values = {};
    for (const [name, value] of new FormData(form).entries()) if (value !== '') values[name] = value;
    return values;
  }

  function preview(content) {
    const text = typeof content === 'object' ? content.text || content.body || content.message || JSON.stringify(content) : String(content);
    return text.length > 300 ? text.slice(0, 300) + '…' : text;
  }

  function drawGraph(container, elements) {
    if (!window.cytoscape) return showError('Graph library failed to load.');
    container.textContent = '';
    return window.cytoscape({
      container,
      elements,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'background-color': '#2f5bd3', width: 14, height: 14 } },
        { selector: 'edge', style: { width: 1, 'line-color': '#98a2b3', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#98a2b3', 'curve-style': 'bezier', label: 'data(relation)', 'font-size': 7 } },
      ],
      layout: { name: elements.nodes.length > 150 ? 'grid' : 'cose', animate: false },
    });
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
      for (const event of events.items) {
        rows.append(el('tr', {}, el('td', {}, new Date(event.timestamp).toLocaleString()), el('td', {}, preview(event.content)), el('td', {}, el('code', {}, JSON.stringify(event.metadata)))));
      }
    },
    'memory-search'() {
      const form = document.getElementById('memory-search-form');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearError();
        const values = formValues(form);
        const body = { mode: values.mode, limit: Number(values.limit || 10) };
        if (values.query) body.query = values.query;
        if (values.metadata) {
          try {
            body.metadata = JSON.parse(values.metadata);
          } catch {
            return showError('The metadata filter must be a JSON object.');
          }
        }
        try {
          const result = await api('POST', '/v1/search', body);
          document.getElementById('search-summary').textContent = result.results.length + ' of ' + result.total + ' results (' + result.mode + ', ' + result.took_ms + ' ms)';
          const list = document.getElementById('search-results');
          list.textContent = '';
          for (const hit of result.results) {
            const scores = Object.entries(hit.scores || {}).map(([k, v]) => k + ' ' + v.toFixed(3)).join(', ');
            list.append(el('li', {}, el('div', { class: 'score' }, 'score ' + hit.score.toFixed(3) + (scores ? ' (' + scores + ')' : '') + ' · ' + new Date(hit.event.timestamp).toLocaleString()), el('pre', {}, JSON.stringify(hit.event.content, null, 2)), el('code', {}, JSON.stringify(hit.event.metadata))));
          }
        } catch (error) {
          showError(error.message);
        }
      });
    },
    'memory-graph'() {
      const form = document.getElementById('graph-form');
      const show = async () => {
        clearError();
        const values = formValues(form);
        const query = new URLSearchParams({ limit: values.limit || '300' });
        if (values.type) query.set('type', values.type);
        try {
          const graph = await api('GET', '/v1/graph?' + query);
          drawGraph(document.getElementById('graph'), graph.elements);
        } catch (error) {
          showError(error.message);
        }
      };
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void show();
      });
      return show();
    },
    async 'code-repositories'() {
      const rows = document.getElementById('repositories');
      const render = async () => {
        rows.textContent = '';
        for (const repo of await api('GET', '/v1/code/repositories')) {
          const remove = el('button', { class: 'link', type: 'button' }, 'delete');
          remove.addEventListener('click', async () => {
            if (!confirm('Delete ' + repo.repository + ' and its chunks and graph?')) return;
            try {
              await api('DELETE', '/v1/code/repositories/' + encodeURIComponent(repo.repository));
              await render();
            } catch (error) {
              showError(error.message);
            }
          });
          const languages = Object.entries(repo.languages).map(([name, count]) => name + ' ' + count).join(', ');
          rows.append(el('tr', {}, el('td', {}, repo.repository), el('td', {}, repo.files), el('td', {}, repo.chunks), el('td', {}, languages), el('td', {}, repo.last_indexed_at ? new Date(repo.last_indexed_at).toLocaleString() : ''), el('td', {}, remove)));
        }
      };
      await render();
    },
    'code-search'() {
      const form = document.getElementById('code-search-form');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearError();
        const values = formValues(form);
        const body = { query: values.query || '', mode: values.mode, limit: Number(values.limit || 20) };
        if (values.repository) body.repository = values.repository;
        if (values.language) body.language = values.language;
        try {
          const result = await api('POST', '/v1/code/search', body);
          document.getElementById('search-summary').textContent = result.results.length + ' results (' + result.took_ms + ' ms)';
          const list = document.getElementById('search-results');
          list.textContent = '';
          for (const hit of result.results) {
            const chunk = hit.chunk;
            list.append(el('li', {}, el('div', {}, el('strong', {}, chunk.qualified_name || chunk.name), ' ', el('span', { class: 'muted' }, chunk.chunk_type + ' · ' + chunk.repository + '/' + chunk.file_path + ':' + chunk.start_line + '-' + chunk.end_line)), el('div', { class: 'score' }, 'score ' + hit.score.toFixed(3)), el('pre', {}, chunk.signature || '')));
          }
        } catch (error) {
          showError(error.message);
        }
      });
    },
    'code-upload'() {
      const form = document.getElementById('code-upload-form');
      const progress = document.getElementById('upload-progress');
      const output = document.getElementById('upload-result');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearError();
        const repository = form.elements.repository.value.trim();
        const skipped = /(^|\/)(node_modules|\.git|dist|build)\//;
        const files = Array.from(form.elements.files.files).filter((file) => file.size <= 1024 * 1024 && !skipped.test(file.webkitRelativePath));
        const totals = { files_indexed: 0, files_unchanged: 0, files_failed: 0, chunks: 0, errors: [] };
        progress.hidden = false;
        progress.max = files.length;
        progress.value = 0;
        try {
          for (let start = 0; start < files.length; start += 100) {
            const batch = await Promise.all(files.slice(start, start + 100).map(async (file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name, content: await file.text() })));
            const result = await api('POST', '/v1/code/index', { repository, files: batch, embeddings: form.elements.embeddings.checked });
            for (const key of ['files_indexed', 'files_unchanged', 'files_failed', 'chunks']) totals[key] += result[key];
            totals.errors.push(...result.errors);
            progress.value = Math.min(files.length, start + 100);
            output.textContent = JSON.stringify(totals, null, 2);
          }
        } catch (error) {
          showError(error.message);
        }
      });
    },
    'code-graph'() {
      const form = document.getElementById('code-graph-form');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearError();
        const values = formValues(form);
        const query = new URLSearchParams({ repository: values.repository, symbol: values.symbol, depth: values.depth || '2' });
        try {
          const result = await api('GET', '/v1/code/graph/' + values.direction + '?' + query);
          document.getElementById('graph-summary').textContent = result.nodes.length + ' ' + values.direction + ' of ' + values.symbol;
          drawGraph(document.getElementById('graph'), {
            nodes: result.nodes.map((node) => ({ data: { id: node.id, label: node.label } })),
            edges: result.edges.map((edge) => ({ data: { id: edge.id, source: edge.source, target: edge.target, relation: edge.relation } })),
          });
        } catch (error) {
          showError(error.message);
        }
      });
    },
    async monitoring() {
      const health = await api('GET', '/v1/health');
      const cards = document.getElementById('health-cards');
      const card = (title, value, ok) => el('div', { class: 'card' }, el('h2', {}, title), el('p', { class: 'figure ' + (ok ? 'ok' : 'bad') }, value));
      cards.append(
        card('Status', health.status, health.status === 'ok'),
        card('Database', health.database.engine + ' ' + (health.database.server_version || ''), health.database.ok),
        card('DB latency', (health.database.latency_ms ?? '–') + ' ms', health.database.ok),
        card('Uptime', health.uptime_s + ' s', true),
      );
      for (const [role, status] of Object.entries(health.embeddings || {})) {
        cards.append(card(role + ' embeddings', status.model + ' (' + status.mode + ')', !status.reason));
      }
      const metrics = await api('GET', '/metrics');
      const rows = document.getElementById('request-counts');
      const pattern = /^mnemolite_http_requests_total\{method="([^"]*)",route="([^"]*)",status="([^"]*)"\} (\d+)/;
      for (const line of String(metrics).split('\n')) {
        const match = pattern.exec(line);
        if (match) rows.append(el('tr', {}, el('td', {}, match[1]), el('td', {}, match[2]), el('td', {}, match[3]), el('td', {}, match[4])));
      }
    },
  };

  const init = pages[page];
  if (init) Promise.resolve(init()).catch((error) => showError(error.message));
})();
