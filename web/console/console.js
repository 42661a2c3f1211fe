// Souk console: calls the server's read-only RPCs as JSON (POST /api/<service>/<method>, the
// request and response messages of proto/souk/v1 in protobuf's JSON mapping) and draws them.
'use strict';

const $ = (id) => document.getElementById(id);

// A DOM element with attributes and children (strings become text, never HTML).
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

async function call(method, request) {
  // Relative, so the page also works behind a proxy that mounts the port under a path.
  const response = await fetch('../api/' + method, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(request),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${method}: ${body.code}: ${body.message}`);
  return body;
}

function showError(error) {
  $('error').textContent = error.message;
  $('error').hidden = false;
}

const fixed = (x, digits = 4) => (x === undefined || x === null ? '–' : Number(x).toFixed(digits));
const price = (p) => (p && p.price !== undefined ? p.price.toFixed(2) : '–');
const userId = () => $('user').value.trim();

// ---- search and its explanations ----

function explanationRow(explanation, columns) {
  const e = explanation || {};
  const facts = [
    `BM25F ${fixed(e.bm25)}` + (e.bm25_rank ? ` (rank ${e.bm25_rank})` : ' (not a BM25F candidate)'),
    e.cosine !== undefined
        ? `cosine ${fixed(e.cosine)}` + (e.dense_rank ? ` (rank ${e.dense_rank})` : '') : null,
    `retrieval ${fixed(e.retrieval_score)}`,
    e.ranker_score !== undefined ? `ranker ${fixed(e.ranker_score)}` : 'no ranker',
    e.review_sentiment !== undefined ? `review sentiment ${fixed(e.review_sentiment, 2)}` : null,
    e.rules && e.rules.length ? `rules: ${e.rules.join(', ')}` : null,
  ].filter(Boolean);
  const contributions = [...(e.contributions || [])]
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const largest = Math.max(1e-9, ...contributions.map((c) => Math.abs(c.contribution)));
  const table = el('table', {class: 'contributions'},
      el('tr', {}, el('th', {}, 'feature'), el('th', {class: 'number'}, 'value'),
         el('th', {class: 'number'}, 'contribution'), el('th')),
      contributions.map((c) => el('tr', {},
          el('td', {}, c.feature),
          el('td', {class: 'number'}, c.value === undefined ? '–' : fixed(c.value)),
          el('td', {class: 'number'}, fixed(c.contribution)),
          el('td', {}, el('span', {
            class: 'bar ' + (c.contribution >= 0 ? 'up' : 'down'),
            style: `width:${(80 * Math.abs(c.contribution) / largest).toFixed(0)}px`,
          })))));
  return el('tr', {class: 'explanation'},
      el('td', {colspan: columns, class: 'explanation'},
         el('div', {class: 'facts'}, facts.join(' · ')),
         contributions.length ? table : el('div', {class: 'muted'}, 'no ranker contributions')));
}

function resultRow(result, index) {
  const p = result.product || {};
  const row = el('tr', {class: 'result', 'data-product-id': result.product_id},
      el('td', {class: 'number'}, index + 1),
      el('td', {}, el('div', {class: 'title'}, p.title || result.product_id),
         el('div', {class: 'id'}, result.product_id)),
      el('td', {}, p.brand || ''),
      el('td', {class: 'number'}, price(p)),
      el('td', {class: 'number score'}, fixed(result.score)),
      el('td', {},
         el('button', {type: 'button', class: 'why'}, 'why'), ' ',
         el('button', {type: 'button', class: 'similar',
                       onclick: () => similar(result.product_id, p.title)}, 'similar')));
  let open = null;
  row.querySelector('.why').addEventListener('click', () => {
    if (open) { open.remove(); open = null; return; }
    open = explanationRow(result.explanation, row.children.length);
    row.after(open);
  });
  return row;
}

async function search(event) {
  if (event) event.preventDefault();
  const query = $('query').value.trim();
  if (!query) return;
  $('error').hidden = true;
  rememberUser();
  try {
    const response = await call('souk.v1.SearchService/Search', {
      query, page_size: 20, user_id: userId(), include_products: true, debug: true,
      filters: {in_stock_only: $('in-stock').checked},
    });
    const tbody = $('results').querySelector('tbody');
    tbody.replaceChildren(...response.results.map(resultRow));
    $('no-results').hidden = response.results.length > 0;
    $('results-meta').textContent =
        `for "${query}" · variant ${response.variant || '–'} · request ${response.request_id}`;
  } catch (error) {
    showError(error);
  }
}

// ---- suggestions while typing ----

let suggestTimer = null;
function suggest() {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    try {
      const response = await call('souk.v1.SearchService/Suggest',
                                  {prefix: $('query').value, user_id: userId(), limit: 8});
      $('suggestions').replaceChildren(
          ...response.suggestions.map((s) => el('option', {value: s.text})));
    } catch (error) {
      showError(error);
    }
  }, 150);
}

// ---- recommendations and similar items ----

function itemList(list, items) {
  list.replaceChildren(...items.map((item) => el('li', {'data-product-id': item.product_id},
      (item.product && item.product.title) || item.product_id, ' ',
      el('span', {class: 'source'}, `${item.source} · ${price(item.product)}`))));
}

async function recommend() {
  $('recommend-for').textContent = userId() ? `for ${userId()}` : 'for an anonymous visitor';
  try {
    const response = await call('souk.v1.RecommendService/Recommend', {
      user_id: userId(), page_size: 10, include_products: true, context: 'PAGE_CONTEXT_HOME',
    });
    itemList($('recommendations'), response.items);
  } catch (error) {
    showError(error);
  }
}

async function similar(productId, title) {
  $('similar-to').textContent = `to ${title || productId}`;
  $('similar-hint').hidden = true;
  try {
    const response = await call('souk.v1.RecommendService/SimilarItems',
                                {product_id: productId, page_size: 10, include_products: true});
    itemList($('similar'), response.items);
  } catch (error) {
    showError(error);
  }
}

// ---- the snapshot and the A/B variants' metrics ----

const rate = (r) => (r ? `${(100 * r.estimate).toFixed(1)}% [${(100 * r.low).toFixed(1)}, ` +
                         `${(100 * r.high).toFixed(1)}]` : '–');

async function stats() {
  try {
    const response = await call('souk.v1.AdminService/Stats',
                                {window_hours: Number($('window').value)});
    $('snapshot').textContent = `index ${response.snapshot_version} · ` +
        `${response.lexical.products} products · server ${response.server_version}`;
    const variants = (response.feedback && response.feedback.variants) || [];
    $('variants').querySelector('tbody').replaceChildren(...variants.map((v) => el('tr', {},
        el('td', {}, v.variant), el('td', {class: 'number'}, v.searches),
        el('td', {}, rate(v.click_through)), el('td', {}, rate(v.add_to_cart)),
        el('td', {}, rate(v.conversion)),
        el('td', {class: 'number'}, fixed(v.revenue_per_search, 2)))));
    $('no-variants').hidden = variants.length > 0;
  } catch (error) {
    showError(error);
  }
}

// ---- users seen in this browser ----

function recentUsers() {
  try { return JSON.parse(localStorage.getItem('souk.users') || '[]'); } catch { return []; }
}

function rememberUser() {
  const user = userId();
  if (!user) return;
  const users = [user, ...recentUsers().filter((u) => u !== user)].slice(0, 20);
  localStorage.setItem('souk.users', JSON.stringify(users));
  $('recent-users').replaceChildren(...users.map((u) => el('option', {value: u})));
}

$('search-form').addEventListener('submit', search);
$('query').addEventListener('input', suggest);
$('user').addEventListener('change', () => { rememberUser(); recommend(); });
$('window').addEventListener('change', stats);
$('recent-users').replaceChildren(...recentUsers().map((u) => el('option', {value: u})));
const initial = new URLSearchParams(location.search);
if (initial.get('user')) $('user').value = initial.get('user');
recommend();
stats();
if (initial.get('q')) { $('query').value = initial.get('q'); search(); }
