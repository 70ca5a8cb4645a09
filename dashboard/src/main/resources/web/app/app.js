// The dks-sweep dashboard: a sweeps list and a sweep page (heatmaps, depth scaling, paper table,
// trials and learning curves). Every user-provided string reaches the page through textContent,
// or through esc() in chart tooltips (ECharts renders those as HTML).
import * as echarts from 'echarts';
import './style.css';

const main = document.getElementById('main');
const charts = {};
// tests and power users read the rendered state here
window.dks = { charts, ready: false, errors: [] };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function fmt(x, digits = 4) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
}

function lr(x) {
  return Number(x).toPrecision(6).replace(/\.?0+$/, '').replace(/\.?0+e/, 'e');
}

function age(iso) {
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 129600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

async function api(path) {
  // X-Requested-With: with OpenID Connect, an expired session answers 499, not a redirect
  const r = await fetch(path, {
    headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' },
  });
  if (r.status === 499) {
    location.reload(); // the page itself is redirected to the provider's login
    throw new Error('signing in again');
  }
  if (r.status === 401) {
    const e = new Error('this dashboard needs its access token');
    e.unauthorized = true;
    throw e;
  }
  if (!r.ok) {
    let detail = '';
    try {
      const body = await r.json();
      detail = body.problems ? body.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : '';
    } catch (e) {
      /* not JSON */
    }
    throw new Error(`${path}: HTTP ${r.status} ${detail}`);
  }
  return r.json();
}

/** Replaces the page's content; null items (optional parts) are left out. */
function show(...items) {
  main.replaceChildren(...items.filter((i) => i !== null && i !== undefined));
}

function chart(name, node, option) {
  const c = echarts.init(node, null, { renderer: 'canvas' });
  // no animation: charts are read, compared and exported, and redrawn by live updates
  c.setOption({ animation: false, ...option });
  charts[name] = c;
  return c;
}

function disposeCharts() {
  for (const k of Object.keys(charts)) {
    charts[k].dispose();
    delete charts[k];
  }
}

function download(filename, text, type) {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------- sweeps list

// the list as last drawn, and the sweeps ticked for comparison (kept across live redraws)
let listed = null;
const picked = new Set();

async function sweepsPage(live = false) {
  const sweeps = await api('/api/sweeps');
  const json = JSON.stringify(sweeps);
  if (live && json === listed) return; // nothing the list shows has changed
  listed = json;
  const compare = el('button', {
    id: 'compare',
    onclick: () => {
      location.hash = `#/compare/${[...picked].map(encodeURIComponent).join(',')}`;
    },
  }, 'Compare selected');
  const rows = sweeps.map((s) =>
    el('tr', { 'data-uid': s.uid },
      el('td', {}, (() => {
        const box = el('input', { type: 'checkbox', class: 'pick', value: s.uid, title: 'compare' });
        box.checked = picked.has(s.uid);
        box.addEventListener('change', () => (box.checked ? picked.add(s.uid) : picked.delete(s.uid)));
        return box;
      })()),
      el('td', {}, el('a', { href: `#/sweep/${encodeURIComponent(s.uid)}`, class: 'sweep-name' }, s.name)),
      el('td', {}, s.namespace),
      el('td', { class: `phase-${s.phase}` }, s.phase),
      el('td', { class: 'num' }, `${s.finished}/${s.trials}`),
      el('td', { class: 'num' }, s.running),
      el('td', { class: 'num' }, s.failed),
      el('td', { class: 'num' }, fmt(s.best)),
      el('td', {}, `${s.objectiveMetric} (${s.objectiveGoal})`),
      el('td', { class: 'num' }, age(s.createdAt))));
  show(
    el('h1', {}, 'Sweeps'),
    sweeps.length === 0
      ? el('p', { class: 'muted' }, 'No sweeps yet: ./dks-sweep run examples/quickstart.yaml')
      : el('table', { id: 'sweeps' },
        el('thead', {}, el('tr', {}, ['', 'name', 'namespace', 'phase', 'done', 'running', 'failed', 'best',
          'objective', 'age'].map((h) => el('th', {}, h)))),
        el('tbody', {}, rows)),
    sweeps.length > 1 ? el('p', {}, compare) : null);
}

// ---------------------------------------------------------------- sweep page

function groupBy(items, key) {
  const m = new Map();
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(it);
  }
  return m;
}

function heatmaps(container, cells, maximize, onCell) {
  const groups = groupBy(cells, (c) => `${c.method}/${c.activation}`);
  // one colour scale for every heatmap, so that methods compare at a glance
  const all = cells.map((c) => c.mean);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  for (const [key, group] of groups) {
    const rates = [...new Set(group.map((c) => c.learningRate))].sort((a, b) => a - b);
    const depths = [...new Set(group.map((c) => c.depth))].sort((a, b) => a - b);
    const data = group.map((c) => ({
      value: [rates.indexOf(c.learningRate), depths.indexOf(c.depth), c.mean],
      std: c.std,
      n: c.n,
      cellIndex: c.cellIndex,
    }));
    const node = el('div', { class: 'chart', id: `heatmap-${key.replace(/[^a-z0-9_-]/gi, '_')}` });
    container.append(node);
    chart(`heatmap:${key}`, node, {
      title: { text: key, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: {
        formatter: (p) => `${esc(key)}<br>depth ${depths[p.value[1]]}, lr ${lr(rates[p.value[0]])}<br>`
          + `${fmt(p.value[2])} ± ${fmt(p.data.std)} (n=${p.data.n})`,
      },
      grid: { left: 60, right: 90, top: 40, bottom: 50 },
      xAxis: { type: 'category', name: 'learning rate', nameLocation: 'center', nameGap: 30, data: rates.map(lr) },
      yAxis: { type: 'category', name: 'depth', data: depths.map(String) },
      visualMap: {
        min: lo, max: hi, calculable: true, orient: 'vertical', right: 5, top: 'middle',
        itemHeight: 160, precision: 3, inRange: { color: maximize ? ['#f7fbff', '#2f6fb0'] : ['#2f6fb0', '#f7fbff'] },
      },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => fmt(p.value[2], 3) } }],
      toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
    }).on('click', (p) => {
      history.replaceState(null, '', `#/sweep/${encodeURIComponent(window.dks.sweep)}/cell/${p.data.cellIndex}`);
      onCell(p.data.cellIndex);
    });
  }
}

// ---------------------------------------------------------------- kernel view

function num(x) {
  return typeof x === 'string' ? Number(x) : x;
}

/** A cell's learning curves over its seeds: the mean and a band of ± one standard deviation. */
async function cellCurves(container, uid, cellIndex) {
  const bands = await api(`/api/sweeps/${encodeURIComponent(uid)}/cells/${cellIndex}/curves`);
  if (bands.length === 0) return;
  const node = el('div', { class: 'chart wide', id: 'cell-curves' });
  container.append(el('h2', {}, 'Learning curves over the seeds (mean ± std)'), node);
  // a category axis of steps: ECharts stacks y values per category (the band is lower + width)
  const steps = [...new Set(bands.map((b) => b.step))].sort((a, b) => a - b);
  const series = [];
  for (const [name, ps] of groupBy(bands, (b) => b.name)) {
    const at = new Map(ps.map((p) => [p.step, p]));
    const column = (f) => steps.map((st) => (at.has(st) ? f(at.get(st)) : null));
    const axis = name.includes('accuracy') ? 1 : 0;
    const stack = `band:${name}`;
    const common = { type: 'line', stack, yAxisIndex: axis, showSymbol: false, connectNulls: true, lineStyle: { opacity: 0 }, tooltip: { show: false } };
    series.push(
      { ...common, name: `${name} band`, data: column((p) => p.mean - (p.std || 0)) },
      { ...common, name: `${name} band`, areaStyle: { opacity: 0.2 }, data: column((p) => 2 * (p.std || 0)) },
      { name, type: 'line', yAxisIndex: axis, connectNulls: true, showSymbol: ps.length < 50, data: column((p) => p.mean) });
  }
  chart('cell-curves', node, {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, data: [...new Set(bands.map((b) => b.name))] },
    grid: { left: 60, right: 60, top: 20, bottom: 60 },
    xAxis: { type: 'category', name: 'step', data: steps.map(String) },
    yAxis: [{ type: 'value', name: 'loss', scale: true }, { type: 'value', name: 'accuracy', min: 0, max: 1 }],
    series,
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
}

async function kernelView(container, uid, cellIndex) {
  const k = await api(`/api/sweeps/${encodeURIComponent(uid)}/cells/${cellIndex}/kernel`);
  container.replaceChildren(el('h2', { id: 'kernel-title' },
    `Cell ${k.cellIndex}: ${k.method} ${k.activation}, depth ${k.depth}, width ${k.width}, lr ${lr(k.learningRate)}`));
  const bandsBox = el('div', {});
  container.append(bandsBox);
  await cellCurves(bandsBox, uid, cellIndex);
  if (!k.feasible) {
    container.append(el('p', { class: 'error' }, `Skipped by the preflight: ${k.infeasibleReason}`));
    return;
  }
  if (!k.diagnostics) {
    container.append(el('p', { class: 'muted' }, 'No kernel prediction for this architecture (batch normalisation).'));
    return;
  }
  const d = k.diagnostics;
  const t = k.transform;
  container.append(el('table', { id: 'kernel-numbers' },
    el('tbody', {},
      el('tr', {}, el('th', {}, 'transform'), el('td', {},
        `γ·(φ(α·x + β) + δ): α ${fmt(t.alpha)}, β ${fmt(t.beta)}, γ ${fmt(t.gamma)}, δ ${fmt(t.delta)}`
        + (t.slope === undefined || t.slope === null ? '' : `, slope ${fmt(t.slope)}`))),
      el('tr', {}, el('th', {}, 'local'), el('td', {},
        `Q(1) ${fmt(num(d.localQAt1))}, Q'(1) ${fmt(num(d.localQSlopeAt1))}, C(0) ${fmt(num(d.localCAt0))}, C'(1) ${fmt(num(d.localCSlopeAt1))}, C''(1) ${fmt(num(d.localCCurvAt1))}`)),
      el('tr', {}, el('th', {}, 'network'), el('td', {},
        `C'(1) ${fmt(num(d.networkCSlopeAt1))}, C''(1) ${fmt(num(d.networkCCurvAt1))}, C(0) ${fmt(num(d.networkCAt0))}`)))));
  const charts = el('div', { class: 'charts' });
  container.append(charts);
  const cv = d.curves;
  const pairs = (xs, ys) => xs.map((x, i) => [num(x), num(ys[i])]);
  const cNode = el('div', { class: 'chart', id: 'kernel-c' });
  const qNode = el('div', { class: 'chart', id: 'kernel-q' });
  charts.append(cNode, qNode);
  chart('kernel:c', cNode, {
    title: { text: 'C maps (q = 1)', left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'value', name: 'c', min: -1, max: 1 },
    yAxis: { type: 'value', min: -1, max: 1 },
    series: [
      { name: 'network (shaped)', type: 'line', showSymbol: false, data: pairs(cv.c, cv.networkC) },
      { name: 'network (raw)', type: 'line', showSymbol: false, data: pairs(cv.c, cv.untransformedNetworkC) },
      { name: 'local (shaped)', type: 'line', showSymbol: false, data: pairs(cv.c, cv.localC) },
      { name: 'identity', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: [[-1, -1], [1, 1]] },
    ],
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
  chart('kernel:q', qNode, {
    title: { text: 'Q maps', left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'value', name: 'q', min: 0, max: 3 },
    yAxis: { type: 'value', min: 0 },
    series: [
      { name: 'network', type: 'line', showSymbol: false, data: pairs(cv.q, cv.networkQ) },
      { name: 'local', type: 'line', showSymbol: false, data: pairs(cv.q, cv.localQ) },
      { name: 'identity', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: [[0, 0], [3, 3]] },
    ],
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
  if (k.initChecks.length > 0) {
    const iNode = el('div', { class: 'chart wide', id: 'kernel-init' });
    charts.append(iNode);
    const first = k.initChecks[0].initCheck;
    const series = [
      { name: 'predicted q', type: 'line', showSymbol: false, data: first.layers.map((l) => [l.layer, num(l.predictedQ)]) },
      { name: 'predicted c', type: 'line', showSymbol: false, yAxisIndex: 1, data: first.layers.map((l) => [l.layer, num(l.predictedC)]) },
    ];
    for (const tc of k.initChecks) {
      series.push({ name: 'measured q', type: 'scatter', symbolSize: 5, data: tc.initCheck.layers.map((l) => [l.layer, num(l.measuredQ)]) });
      series.push({ name: 'measured c', type: 'scatter', symbolSize: 5, yAxisIndex: 1, data: tc.initCheck.layers.map((l) => [l.layer, num(l.measuredC)]) });
    }
    chart('kernel:init', iNode, {
      title: { text: `Measured at initialisation vs predicted (${k.initChecks.length} trial${k.initChecks.length === 1 ? '' : 's'})`, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: 'layer' },
      yAxis: [{ type: 'value', name: 'q', scale: true }, { type: 'value', name: 'c', min: -1, max: 1 }],
      series,
      toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
    });
  }
}

/** Per "method/activation|depth": the cell at its best learning rate. */
function bestPerArmAndDepth(cells, maximize) {
  const best = new Map();
  for (const c of cells) {
    const k = `${c.method}/${c.activation}|${c.depth}`;
    const b = best.get(k);
    if (!b || (maximize ? c.mean > b.mean : c.mean < b.mean)) best.set(k, c);
  }
  return best;
}

function depthScaling(container, cells, maximize) {
  const best = bestPerArmAndDepth(cells, maximize);
  const depths = [...new Set(cells.map((c) => c.depth))].sort((a, b) => a - b);
  const arms = [...new Set(cells.map((c) => `${c.method}/${c.activation}`))];
  const node = el('div', { class: 'chart wide', id: 'depth-scaling' });
  container.append(node);
  chart('depth-scaling', node, {
    title: { text: 'best over learning rates vs depth', left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v) },
    legend: { bottom: 0, formatter: (n) => n },
    grid: { left: 60, right: 30, top: 40, bottom: 60 },
    xAxis: { type: 'category', name: 'depth', data: depths.map(String) },
    yAxis: { type: 'value', scale: true },
    series: arms.map((a) => ({
      name: a,
      type: 'line',
      data: depths.map((d) => (best.has(`${a}|${d}`) ? best.get(`${a}|${d}`).mean : null)),
    })),
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
}

function parallelCoordinates(container, cells, metric) {
  const methods = [...new Set(cells.map((c) => c.method))];
  const activations = [...new Set(cells.map((c) => c.activation))];
  const node = el('div', { class: 'chart wide', id: 'parallel' });
  container.append(node);
  chart('parallel', node, {
    title: { text: 'every cell across the axes (colour: objective)', left: 'center', textStyle: { fontSize: 13 } },
    parallelAxis: [
      { dim: 0, name: 'method', type: 'category', data: methods },
      { dim: 1, name: 'activation', type: 'category', data: activations },
      { dim: 2, name: 'depth', type: 'log', logBase: 10 },
      { dim: 3, name: 'learning rate', type: 'log', logBase: 10 },
      { dim: 4, name: metric, type: 'value', scale: true },
    ],
    parallel: { left: 70, right: 90, top: 60, bottom: 30 },
    visualMap: {
      dimension: 4, min: Math.min(...cells.map((c) => c.mean)), max: Math.max(...cells.map((c) => c.mean)),
      right: 5, top: 'middle', itemHeight: 140, precision: 3, calculable: true,
      inRange: { color: ['#d8e6f3', '#2f6fb0'] },
    },
    series: [{
      type: 'parallel',
      lineStyle: { width: 1.5, opacity: 0.8 },
      data: cells.map((c) => [c.method, c.activation, c.depth, c.learningRate, c.mean]),
    }],
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
}

function paperTable(container, cells, maximize, suffix = '') {
  const best = bestPerArmAndDepth(cells, maximize);
  const depths = [...new Set(cells.map((c) => c.depth))].sort((a, b) => a - b);
  const rows = [...new Set(cells.map((c) => `${c.method}/${c.activation}`))];
  const columnBest = depths.map((d) => {
    const vals = rows.map((r) => best.get(`${r}|${d}`)).filter(Boolean).map((c) => c.mean);
    return maximize ? Math.max(...vals) : Math.min(...vals);
  });
  const cell = (r, d) => best.get(`${r}|${d}`);
  const text = (c) => (c ? `${fmt(c.mean)} ± ${fmt(c.std || 0)}` : '–');
  const table = el('table', { id: `paper-table${suffix}` },
    el('thead', {}, el('tr', {}, el('th', {}, 'method / activation'), depths.map((d) => el('th', {}, `depth ${d}`)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, r), depths.map((d, i) => {
      const c = cell(r, d);
      return el('td', { class: `num${c && c.mean === columnBest[i] ? ' best' : ''}`, title: c ? `lr ${lr(c.learningRate)}, n=${c.n}` : '' }, text(c));
    })))));
  const csv = [['method/activation', ...depths.map((d) => `depth ${d}`)].join(','),
    ...rows.map((r) => [r, ...depths.map((d) => { const c = cell(r, d); return c ? `${c.mean} ± ${c.std || 0}` : ''; })].join(','))].join('\n');
  const latex = ['\\begin{tabular}{l' + 'r'.repeat(depths.length) + '}', '\\hline',
    ['method / activation', ...depths.map((d) => `depth ${d}`)].join(' & ') + ' \\\\', '\\hline',
    ...rows.map((r) => [r.replace(/_/g, '\\_'), ...depths.map((d, i) => {
      const c = cell(r, d);
      if (!c) return '--';
      const t = `${fmt(c.mean)} $\\pm$ ${fmt(c.std || 0)}`;
      return c.mean === columnBest[i] ? `\\textbf{${t}}` : t;
    })].join(' & ') + ' \\\\'), '\\hline', '\\end{tabular}'].join('\n');
  container.append(table, el('p', {},
    el('button', { class: 'link', id: `export-csv${suffix}`, onclick: () => download('paper-table.csv', csv, 'text/csv') }, 'CSV'), ' · ',
    el('button', { class: 'link', id: `export-latex${suffix}`, onclick: () => download('paper-table.tex', latex, 'text/x-tex') }, 'LaTeX')));
}

async function curves(container, uid, trial) {
  const points = await api(`/api/sweeps/${encodeURIComponent(uid)}/trials/${trial.trialIndex}/curves`);
  const byName = groupBy(points, (p) => p.name);
  container.replaceChildren();
  const node = el('div', { class: 'chart wide', id: 'curves' });
  container.append(el('h2', {}, 'Learning curves'), node);
  chart('curves', node, {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 60, right: 60, top: 20, bottom: 60 },
    xAxis: { type: 'value', name: 'step' },
    yAxis: [{ type: 'value', name: 'loss', scale: true }, { type: 'value', name: 'accuracy', min: 0, max: 1 }],
    series: [...byName.entries()].map(([name, ps]) => ({
      name,
      type: 'line',
      showSymbol: ps.length < 50,
      yAxisIndex: name.includes('accuracy') ? 1 : 0,
      data: ps.map((p) => [p.step, p.value]),
    })),
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
}

async function trialView(container, uid, index) {
  const d = await api(`/api/sweeps/${encodeURIComponent(uid)}/trials/${index}`);
  const t = d.trial;
  const s = d.summary || {};
  const curvesBox = el('div', {});
  const facts = [
    ['state', t.state], ['attempt', t.attempt], ['worker', d.worker || '–'],
    ['started', d.startedAt ? new Date(d.startedAt).toLocaleString() : '–'],
    ['finished', d.finishedAt ? new Date(d.finishedAt).toLocaleString() : '–'],
    ['objective', fmt(t.objective)], ['failure reason', t.failureReason || '–'],
  ];
  if (s.transform) {
    facts.push(['transform', `${s.transform.method} ${s.transform.activation}: α ${fmt(s.transform.alpha)}, β ${fmt(s.transform.beta)}, γ ${fmt(s.transform.gamma)}, δ ${fmt(s.transform.delta)}`]);
  }
  if (s.initCheck) {
    facts.push(['init check', `max |q − predicted| ${fmt(num(s.initCheck.maxQDeviation))}, max |c − predicted| ${fmt(num(s.initCheck.maxCDeviation))}`]);
  }
  if (s.finalMetrics) {
    facts.push(['final metrics', Object.entries(s.finalMetrics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')]);
  }
  if (s.samplesPerSecond) facts.push(['throughput', `${Math.round(s.samplesPerSecond)} samples/s over ${s.steps} steps`]);
  if (s.engine) facts.push(['trained by', s.engine === 'dense' ? 'the dense engine' : 'DL4J']);
  if (s.errorMessage) facts.push(['error', s.errorMessage]);
  const log = el('pre', { id: 'trial-log', class: 'log' }, 'loading the log…');
  container.replaceChildren(
    el('h2', { id: 'trial-title' }, `Trial ${t.trialIndex}: ${t.method} ${t.activation}, depth ${t.depth}, width ${t.width}, lr ${lr(t.learningRate)}, seed ${t.seed}`),
    el('table', { id: 'trial-facts' }, el('tbody', {}, facts.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))),
    curvesBox,
    el('h2', {}, 'Events'),
    d.events.length === 0 ? el('p', { class: 'muted' }, 'No events.')
      : el('table', { id: 'trial-events' }, el('tbody', {}, d.events.map((e) => el('tr', {},
        el('td', {}, new Date(e.time).toLocaleTimeString()), el('td', { class: e.type === 'Warning' ? 'error' : '' }, e.reason), el('td', {}, e.message))))),
    el('h2', {}, 'Log (last 200 lines)'), log);
  await curves(curvesBox, uid, t);
  fetch(`/api/sweeps/${encodeURIComponent(uid)}/trials/${index}/log?lines=200`)
    .then(async (r) => {
      log.textContent = r.status === 204
        ? 'No log for this attempt here (not started yet, its pod is gone, or it ran on another machine).'
        : r.ok ? await r.text() : `no log: HTTP ${r.status} ${await r.text()}`;
    })
    .catch((e) => { log.textContent = `no log: ${e}`; });
}

async function trialsTable(container, uid, curvesBox, state) {
  const q = new URLSearchParams({ sort: state.sort, desc: state.desc, offset: state.offset, limit: state.limit });
  for (const k of ['state', 'method', 'activation']) if (state[k]) q.set(k, state[k]);
  const page = await api(`/api/sweeps/${encodeURIComponent(uid)}/trials?${q}`);
  const header = [['trial_index', '#'], ['state', 'state'], [null, 'method'], [null, 'activation'], ['depth', 'depth'],
    ['learning_rate', 'lr'], [null, 'seed'], [null, 'attempts'], ['objective', 'objective'], ['duration', 'seconds'], [null, 'reason']];
  const table = el('table', { id: 'trials' },
    el('thead', {}, el('tr', {}, header.map(([key, label]) => el('th', key ? {
      class: 'sortable',
      onclick: () => {
        state.desc = state.sort === key ? !state.desc : key === 'objective';
        state.sort = key;
        state.offset = 0;
        trialsTable(container, uid, curvesBox, state);
      },
    } : {}, label + (state.sort === key ? (state.desc ? ' ↓' : ' ↑') : ''))))),
    el('tbody', {}, page.rows.map((t) => el('tr', { 'data-trial': t.trialIndex },
      el('td', { class: 'num' }, el('button', { class: 'link', onclick: () => trialView(curvesBox, uid, t.trialIndex).then(() => curvesBox.scrollIntoView()) }, t.trialIndex)),
      el('td', { class: `state-${t.state}` }, t.state),
      el('td', {}, t.method), el('td', {}, t.activation), el('td', { class: 'num' }, t.depth),
      el('td', { class: 'num' }, lr(t.learningRate)), el('td', { class: 'num' }, t.seed),
      el('td', { class: 'num' }, t.attempt), el('td', { class: 'num' }, fmt(t.objective)),
      el('td', { class: 'num' }, t.durationSeconds === null ? '–' : t.durationSeconds.toFixed(1)),
      el('td', {}, t.failureReason || '')))));
  const last = Math.min(page.total, state.offset + state.limit);
  const pager = el('div', { class: 'pager' },
    el('button', { disabled: state.offset === 0 ? '' : null, onclick: () => { state.offset = Math.max(0, state.offset - state.limit); trialsTable(container, uid, curvesBox, state); } }, '‹ previous'),
    el('span', {}, `${page.total === 0 ? 0 : state.offset + 1}–${last} of ${page.total}`),
    el('button', { disabled: last >= page.total ? '' : null, onclick: () => { state.offset += state.limit; trialsTable(container, uid, curvesBox, state); } }, 'next ›'));
  for (const b of pager.querySelectorAll('button')) if (b.getAttribute('disabled') === 'null') b.removeAttribute('disabled');
  const select = (key, label, values) => el('label', {}, `${label} `, el('select', {
    id: `filter-${key}`,
    onchange: (e) => {
      state[key] = e.target.value || null;
      state.offset = 0;
      trialsTable(container, uid, curvesBox, state);
    },
  }, el('option', { value: '' }, 'all'), values.map((v) => {
    const o = el('option', { value: v }, v);
    if (state[key] === v) o.selected = true;
    return o;
  })));
  const filters = el('div', { class: 'pager' },
    select('state', 'state', ['Pending', 'Running', 'Succeeded', 'Diverged', 'Failed', 'Stopped', 'EarlyStopped', 'Skipped']),
    select('method', 'method', state.methods), select('activation', 'activation', state.activations));
  container.replaceChildren(filters, table, pager);
}

async function sweepPage(uid) {
  const [sweep, cells, events] = await Promise.all([
    api(`/api/sweeps/${encodeURIComponent(uid)}`),
    api(`/api/sweeps/${encodeURIComponent(uid)}/cells`),
    api(`/api/sweeps/${encodeURIComponent(uid)}/events?limit=8`),
  ]);
  const maximize = sweep.objectiveGoal === 'maximize';
  window.dks.sweep = uid;
  const card = (label, value, id) => el('div', { class: 'card', id }, el('div', { class: 'muted' }, label), el('div', { class: 'v' }, value));
  const heat = el('div', { class: 'charts', id: 'heatmaps' });
  const scaling = el('div', { class: 'charts' });
  const parallel = el('div', { class: 'charts' });
  const paper = el('div', {});
  const trials = el('div', {});
  const curvesBox = el('div', {});
  const kernel = el('div', { id: 'kernel' });
  show(
    el('p', {}, el('a', { href: '#/' }, '‹ all sweeps')),
    el('h1', { id: 'sweep-name' }, sweep.name),
    el('p', { class: 'muted' }, `${sweep.namespace} · ${sweep.uid} · objective ${sweep.objectiveMetric} (${sweep.objectiveGoal})`),
    el('div', { class: 'cards' },
      card('phase', sweep.phase, 'card-phase'), card('done', `${sweep.finished}/${sweep.trials}`, 'card-done'),
      card('running', sweep.running, 'card-running'), card('failed', sweep.failed, 'card-failed'),
      card(`best ${sweep.objectiveMetric}`, fmt(sweep.best), 'card-best')),
    events.length === 0 ? null : el('details', { id: 'sweep-events' },
      el('summary', {}, `Recent events: ${events[0].reason}: ${events[0].message}`),
      el('table', {}, el('tbody', {}, events.map((e) => el('tr', {},
        el('td', {}, new Date(e.time).toLocaleTimeString()),
        el('td', {}, e.trialIndex === null ? 'sweep' : `trial ${e.trialIndex}`),
        el('td', { class: e.type === 'Warning' ? 'error' : '' }, e.reason),
        el('td', {}, e.message)))))),
    el('h2', {}, `${sweep.objectiveMetric}: depth × learning rate (mean over seeds; click a cell for its kernel)`), heat, kernel,
    el('h2', {}, 'Depth scaling'), scaling,
    el('h2', {}, 'All axes'), parallel,
    el('h2', {}, 'Paper table (best learning rate per cell)'), paper,
    el('h2', {}, 'Trials'), trials, curvesBox);
  if (cells.length === 0) {
    heat.append(el('p', { class: 'muted' }, 'No finished trials yet.'));
  } else {
    heatmaps(heat, cells, maximize, (index) => kernelView(kernel, uid, index).catch((e) => {
      window.dks.errors.push(String(e));
      kernel.replaceChildren(el('p', { class: 'error' }, String(e.message || e)));
    }));
    window.dks.showKernel = (index) => kernelView(kernel, uid, index);
    depthScaling(scaling, cells, maximize);
    parallelCoordinates(parallel, cells, sweep.objectiveMetric);
    paperTable(paper, cells, maximize);
  }
  await trialsTable(trials, uid, curvesBox, {
    sort: 'trial_index', desc: false, offset: 0, limit: 50,
    methods: [...new Set(cells.map((c) => c.method))], activations: [...new Set(cells.map((c) => c.activation))],
  });
}

async function refreshCards(uid) {
  const s = await api(`/api/sweeps/${encodeURIComponent(uid)}`);
  const set = (id, v) => {
    const n = document.querySelector(`#${id} .v`);
    if (n) n.textContent = v;
  };
  set('card-phase', s.phase);
  set('card-done', `${s.finished}/${s.trials}`);
  set('card-running', s.running);
  set('card-failed', s.failed);
  set('card-best', fmt(s.best));
}

// ---------------------------------------------------------------- compare

async function comparePage(uids) {
  const sweeps = await Promise.all(uids.map(async (uid) => ({
    sweep: await api(`/api/sweeps/${encodeURIComponent(uid)}`),
    cells: await api(`/api/sweeps/${encodeURIComponent(uid)}/cells`),
  })));
  const metrics = [...new Set(sweeps.map((s) => `${s.sweep.objectiveMetric} (${s.sweep.objectiveGoal})`))];
  const depths = [...new Set(sweeps.flatMap((s) => s.cells.map((c) => c.depth)))].sort((a, b) => a - b);
  const series = [];
  for (const { sweep, cells } of sweeps) {
    const maximize = sweep.objectiveGoal === 'maximize';
    const best = bestPerArmAndDepth(cells, maximize);
    for (const arm of new Set(cells.map((c) => `${c.method}/${c.activation}`))) {
      series.push({
        name: `${sweep.name}: ${arm}`,
        type: 'line',
        data: depths.map((d) => (best.has(`${arm}|${d}`) ? best.get(`${arm}|${d}`).mean : null)),
      });
    }
  }
  const node = el('div', { class: 'chart wide', id: 'compare-depth' });
  const tables = el('div', {});
  const curvesNode = el('div', { class: 'chart wide', id: 'compare-curves' });
  // every cell of every compared sweep; each sweep's best cell is picked to start with
  const options = [];
  for (const { sweep, cells } of sweeps) {
    const maximize = sweep.objectiveGoal === 'maximize';
    const best = cells.reduce((b, c) => (!b || (maximize ? c.mean > b.mean : c.mean < b.mean) ? c : b), null);
    for (const c of cells) {
      const o = el('option', { value: `${sweep.uid}|${c.cellIndex}` },
        `${sweep.name}: ${c.method} ${c.activation} d${c.depth} lr${lr(c.learningRate)} (${fmt(c.mean)})`);
      if (c === best) o.selected = true;
      options.push(o);
    }
  }
  const picker = el('select', { id: 'compare-cells', multiple: '', size: String(Math.min(8, options.length)) }, options);
  const metric = el('select', { id: 'compare-metric' }, ['val_accuracy', 'val_loss', 'train_loss', 'train_accuracy'].map((m) => el('option', { value: m }, m)));
  const names = new Map(sweeps.map(({ sweep }) => [sweep.uid, sweep.name]));
  const drawCurves = async () => {
    const picked = [...picker.selectedOptions].map((o) => ({ key: o.value, label: o.textContent }));
    const m = metric.value;
    const lines = await Promise.all(picked.map(async ({ key, label }) => {
      const [uid, cell] = key.split('|');
      const bands = await api(`/api/sweeps/${encodeURIComponent(uid)}/cells/${cell}/curves?name=${encodeURIComponent(m)}`);
      return { label: label.replace(/ \([^)]*\)$/, '') || `${names.get(uid)} ${cell}`, bands };
    }));
    if (charts['compare-curves']) charts['compare-curves'].dispose();
    chart('compare-curves', curvesNode, {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 60, right: 30, top: 20, bottom: 60 },
      xAxis: { type: 'value', name: 'step' },
      yAxis: { type: 'value', name: m, scale: true },
      series: lines.map(({ label, bands }) => ({
        name: label, type: 'line', showSymbol: bands.length < 50, data: bands.map((b) => [b.step, b.mean]),
      })),
      toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
    });
  };
  picker.addEventListener('change', drawCurves);
  metric.addEventListener('change', drawCurves);
  show(
    el('p', {}, el('a', { href: '#/' }, '‹ all sweeps')),
    el('h1', {}, `Comparing ${sweeps.length} sweeps`),
    metrics.length > 1 ? el('p', { class: 'error' }, `The sweeps optimise different objectives: ${metrics.join(', ')}`) : null,
    el('h2', {}, 'Depth scaling, best learning rate per cell'), node,
    el('h2', {}, 'Learning curves of chosen cells (mean over seeds)'),
    el('div', { class: 'pager' }, picker, el('label', {}, 'metric ', metric)), curvesNode,
    tables);
  chart('compare-depth', node, {
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v) },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 60, right: 30, top: 20, bottom: 60 },
    xAxis: { type: 'category', name: 'depth', data: depths.map(String) },
    yAxis: { type: 'value', scale: true },
    series,
    toolbox: { feature: { saveAsImage: { title: 'PNG' } } },
  });
  await drawCurves();
  sweeps.forEach(({ sweep, cells }, i) => {
    tables.append(el('h2', {}, el('a', { href: `#/sweep/${encodeURIComponent(sweep.uid)}` }, sweep.name), ` · ${sweep.phase} · ${sweep.finished}/${sweep.trials} trials`));
    if (cells.length === 0) tables.append(el('p', { class: 'muted' }, 'No finished trials yet.'));
    else paperTable(tables, cells, sweep.objectiveGoal === 'maximize', `-${i}`);
  });
}

/** Asks for the dashboard's token once and keeps it in a same-site cookie for this session. */
function tokenForm() {
  const input = el('input', { type: 'password', id: 'token', autocomplete: 'current-password', size: '40' });
  const form = el('form', {
    id: 'token-form',
    onsubmit: (e) => {
      e.preventDefault();
      document.cookie = `dks_token=${encodeURIComponent(input.value)}; path=/; SameSite=Strict`;
      location.reload();
    },
  }, el('p', {}, 'This dashboard is protected. Access token: '), input, ' ', el('button', { type: 'submit' }, 'Open'));
  show(el('h1', {}, 'Access token needed'), form);
}

// ---------------------------------------------------------------- routing and live updates

let rendering = Promise.resolve();

function route() {
  window.dks.ready = false;
  disposeCharts();
  // #/  |  #/sweep/<uid>  |  #/sweep/<uid>/cell/<index> (the kernel view of a cell)
  const m = location.hash.match(/^#\/sweep\/([^/]+)(?:\/cell\/(\d+))?$/);
  const cmp = location.hash.match(/^#\/compare\/(.+)$/);
  const page = cmp ? comparePage(cmp[1].split(',').filter(Boolean).map(decodeURIComponent)) : m
    ? sweepPage(decodeURIComponent(m[1])).then(async () => {
      if (m[2] !== undefined && window.dks.showKernel) {
        await window.dks.showKernel(Number(m[2]));
        document.getElementById('kernel').scrollIntoView();
      }
    })
    : sweepsPage();
  rendering = page
    .catch((e) => {
      if (e.unauthorized) {
        tokenForm();
        return;
      }
      window.dks.errors.push(String(e));
      show(el('p', { class: 'error' }, String(e.message || e)));
    })
    .finally(() => {
      window.dks.readyAt = performance.now();
      window.dks.ready = true;
    });
  return rendering;
}

function live() {
  if (!window.EventSource) return;
  const dot = document.getElementById('live');
  const source = new EventSource('/api/live');
  source.addEventListener('open', () => dot.classList.add('on'));
  source.addEventListener('error', () => dot.classList.remove('on'));
  source.addEventListener('change', () => {
    // one refresh per change notice, after the current render: the list is redrawn if what it
    // shows changed, a sweep page updates its counters (its tables and charts keep the reader's
    // paging and selection), a comparison stays as the reader arranged it
    rendering = rendering.then(() => {
      const h = location.hash;
      if (h.startsWith('#/sweep/')) return refreshCards(decodeURIComponent(h.slice(8).split('/')[0]));
      if (h.startsWith('#/compare/')) return null;
      return sweepsPage(true);
    }).catch((e) => window.dks.errors.push(String(e)));
  });
}

window.addEventListener('hashchange', route);
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
route();
// ?nolive: no event stream (static captures, e.g. chromium --screenshot --virtual-time-budget)
if (!new URLSearchParams(location.search).has('nolive')) live();
