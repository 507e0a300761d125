// whittle report: draws the page from the embedded JSON (the output of
// `whittle report --json`, schema in docs/report.md). Charts are Apache
// ECharts with the SVG renderer; everything else is plain DOM.
//
// The treemap is drawn lazily: only the current directory and two levels
// below it become chart items (at most about 1,000: items()); a click
// re-roots the chart on the clicked directory, and the breadcrumb walks
// back up. So a tree of any size costs the same to draw at a time, and the
// page is drawn in steps (the end of this file).
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('whittle-data').textContent);
  var H = data.header;
  var LIVE = '#4e79a7';
  var DEAD = '#e15759';
  var KIND_COLOURS = {
    'runtime': '#4e79a7',
    'toolchain': '#e15759',
    'package-cache': '#f28e2b',
    'bytecode': '#b07aa1',
    'docs': '#59a14f',
    'tests-examples': '#76b7b2',
    'vcs': '#9c755f',
    'secret-like': '#d4a6c8',
    'logs-temp': '#edc948'
  };

  // ---- helpers -------------------------------------------------------------

  function fmtBytes(n) {
    var neg = n < 0;
    var v = Math.abs(n);
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    var s = u === 0 ? String(v) : (v >= 100 ? v.toFixed(0) : v.toFixed(1));
    return (neg ? '-' : '') + s + ' ' + units[u];
  }
  function fmtDelta(n) { return (n > 0 ? '+' : '') + fmtBytes(n); }
  function fmtPercent(f) { return (f * 100).toFixed(1) + '%'; }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
    });
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') e.textContent = attrs[k];
        else if (k === 'className') e.className = attrs[k];
        else e.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function layerLabel(n) {
    var l = data.layers[n - 1];
    return l ? l.label : '#' + n;
  }
  function layerColour(n) {
    // Golden-angle hues: neighbouring layers get distant colours.
    return 'hsl(' + Math.round(((n - 1) * 137.508) % 360) + ', 55%, 55%)';
  }
  function kindColour(i) { return KIND_COLOURS[data.tree.kinds[i]] || '#bab0ac'; }
  function setToggle(group, button) {
    Array.prototype.forEach.call(group.querySelectorAll('button'), function (b) {
      b.classList.toggle('on', b === button);
    });
  }

  // ---- header --------------------------------------------------------------

  function drawHeader() {
    var h = document.getElementById('header');
    h.appendChild(el('h1', { text: H.name || H.image }));
    h.appendChild(el('div', { className: 'sub', text: H.image + (H.digest ? '  \u00b7  ' + H.digest : '') +
                              (H.platform && H.platform !== '/' ? '  \u00b7  ' + H.platform : '') }));
    var figs = [
      ['blobBytes', fmtBytes(H.blobBytes), 'pull size (compressed)'],
      ['tarBytes', fmtBytes(H.tarBytes), 'uncompressed'],
      ['layerCount', String(H.layerCount), 'layers'],
      ['reclaimableBytes', fmtBytes(H.reclaimableBytes), 'reclaimable (' + fmtPercent(H.reclaimablePercent) + ' of content)'],
      ['efficiency', fmtPercent(H.efficiency), "efficiency (dive's)"]
    ];
    var box = el('div', { className: 'figures' });
    figs.forEach(function (f) {
      var v = el('div', { className: 'v', text: f[1], 'data-field': f[0], 'data-value': String(H[f[0]]),
                          title: String(H[f[0]]) + (f[0] === 'efficiency' || f[0] === 'layerCount' ? '' : ' bytes') });
      box.appendChild(el('div', { className: 'figure' }, [v, el('div', { className: 'k', text: f[2] })]));
    });
    h.appendChild(box);
  }

  // ---- layers --------------------------------------------------------------

  var layersChart = null;
  var domain = 'blob';

  function drawLayers() {
    var L = data.layers;
    var live = L.map(function (l) { return domain === 'blob' ? l.liveBlobBytes : l.liveTarBytes; });
    var dead = L.map(function (l) { return domain === 'blob' ? l.reclaimableBlobBytes : l.reclaimableTarBytes; });
    var labels = L.map(function (l) { return l.label; });
    layersChart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        extraCssText: 'max-width: 560px; white-space: normal;',
        formatter: function (params) {
          var l = L[params[0].dataIndex];
          var t = domain === 'blob' ? l.blobBytes : l.tarBytes;
          var d = domain === 'blob' ? l.reclaimableBlobBytes : l.reclaimableTarBytes;
          return '<b>' + esc(l.label.split(' ')[0]) + '</b> ' + esc(l.instruction || l.label) + '<br>' +
                 (domain === 'blob' ? 'compressed' : 'uncompressed') + ': ' + esc(fmtBytes(t)) + '<br>' +
                 'live: ' + esc(fmtBytes(t - d)) + '<br>reclaimable: ' + esc(fmtBytes(d)) + '<br>' +
                 'content: ' + esc(fmtBytes(l.contentBytes)) + ', dead: ' + esc(fmtBytes(l.deadBytes));
        }
      },
      xAxis: { type: 'value', axisLabel: { formatter: fmtBytes } },
      yAxis: { type: 'category', inverse: true, data: labels,
               axisLabel: { width: 360, overflow: 'truncate' } },
      series: [
        { name: 'live', type: 'bar', stack: 'bytes', data: live, itemStyle: { color: LIVE }, barMaxWidth: 22 },
        { name: 'reclaimable', type: 'bar', stack: 'bytes', data: dead, itemStyle: { color: DEAD }, barMaxWidth: 22 }
      ]
    }, true);
  }

  function setupLayers() {
    layersChart = echarts.init(document.getElementById('layers-chart'), null, { renderer: 'svg' });
    var group = document.getElementById('domain-toggle');
    group.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      domain = b.getAttribute('data-domain');
      setToggle(group, b);
      drawLayers();
    });
    drawLayers();
  }

  // ---- treemap -------------------------------------------------------------

  // A node is [name, bytes, files, kind, layer, children]: no 6th element
  // for a file, null for a "[N smaller files]" fold, an array (maybe empty:
  // cut by the budget) for a directory.
  var treeChart = null;
  var colourBy = 'kind';
  var trail = [data.tree.root];

  function kids(n) { return n.length > 5 && Array.isArray(n[5]) ? n[5] : []; }
  function colourOf(n) { return colourBy === 'kind' ? kindColour(n[3]) : layerColour(n[4]); }
  // The chart items of a view, which are what ECharts' cost grows with
  // (its layout, labels and SVG elements): the directory's children, at
  // most MAX_CHILDREN of them (children come largest first; the rest are
  // one grey "[N more]" item), and inside each child its own largest
  // children, as many as its share of the view's bytes earns out of
  // GRANDCHILDREN (at most MAX_GRANDCHILDREN, and none for a child under
  // 2 / GRANDCHILDREN of the view: too small a rectangle to show them).
  // So a view holds at most about 1,000 items whatever the directory holds;
  // a directory of 1,272 packages draws its 200 largest, the large ones
  // with their contents. Every "[N more]" item carries the bytes of what it
  // stands for, so a parent's items still sum to its bytes.
  var MAX_CHILDREN = 200;
  var MAX_GRANDCHILDREN = 25;
  var GRANDCHILDREN = 600;
  // A grey fold of c[from..): a click on it opens the fold (|page|) or,
  // inside a child, that child (|open|: its index in the view).
  function fold(c, from, how) {
    var rest = 0;
    for (var i = from; i < c.length; i++) rest += c[i][1];
    var it = { name: '[' + (c.length - from) + ' more]', value: rest, wFold: { entries: c.length - from },
               itemStyle: { color: '#bab0ac' } };
    Object.keys(how).forEach(function (k) { it.wFold[k] = how[k]; });
    return it;
  }
  // The node a view's "[N more]" fold opens: a page of the directory's
  // entries from |from| on, which the breadcrumb shows as "[201-N]" but
  // paths and the URL skip (its 7th element is true).
  function pageNode(dir, from) {
    var c = kids(dir);
    var bytes = 0;
    var files = 0;
    for (var i = from; i < c.length; i++) {
      bytes += c[i][1];
      files += c[i][2];
    }
    var first = dir[6] === true ? dir[7] + from : from;
    return ['[' + (first + 1) + '-' + (first + c.length - from) + ']', bytes, files, dir[3], dir[4], c.slice(from), true,
            first];
  }
  function isPage(n) { return n[6] === true; }
  function items(c, viewBytes) {
    var shown = [];
    var n = Math.min(c.length, MAX_CHILDREN);
    for (var i = 0; i < n; i++) {
      var k = c[i];
      var it = { name: k[0], value: k[1], wPath: [i], itemStyle: { color: colourOf(k) } };
      var g = kids(k);
      var cap = Math.min(MAX_GRANDCHILDREN, Math.floor(GRANDCHILDREN * k[1] / Math.max(1, viewBytes)));
      if (g.length && cap >= 2) {
        var m = Math.min(g.length, cap);
        it.children = [];
        for (var j = 0; j < m; j++) {
          it.children.push({ name: g[j][0], value: g[j][1], wPath: [i, j], itemStyle: { color: colourOf(g[j]) } });
        }
        if (g.length > m) it.children.push(fold(g, m, { open: i }));
        // A parent is drawn as its border: the band that holds its label.
        it.itemStyle.borderColor = it.itemStyle.color;
      }
      shown.push(it);
    }
    if (c.length > n) shown.push(fold(c, n, { page: n }));
    return shown;
  }
  function nodeAt(path) {
    var n = trail[trail.length - 1];
    var nodes = [];
    path.forEach(function (i) { n = kids(n)[i]; nodes.push(n); });
    return nodes;
  }
  function pathText(nodes) {
    var names = trail.slice(1).concat(nodes).filter(function (n) { return !isPage(n); })
        .map(function (n) { return n[0]; });
    return '/' + names.join('/');
  }

  function drawBreadcrumb() {
    var nav = document.getElementById('breadcrumb');
    nav.textContent = '';
    trail.forEach(function (n, i) {
      if (i > 0) nav.appendChild(el('span', { className: 'sep', text: i === 1 ? '' : '/' }));
      var b = el('button', { type: 'button', text: i === 0 ? '/' : n[0], 'data-depth': String(i) });
      b.disabled = i === trail.length - 1;
      b.addEventListener('click', function () {
        trail = trail.slice(0, i + 1);
        drawTree();
      });
      nav.appendChild(b);
    });
    nav.appendChild(el('span', { className: 'note', text: '  ' + fmtBytes(trail[trail.length - 1][1]) }));
  }

  function drawLegend() {
    var box = document.getElementById('tree-legend');
    box.textContent = '';
    var entries = [];
    if (colourBy === 'kind') {
      data.tree.kinds.forEach(function (k, i) { entries.push([kindColour(i), k, k]); });
    } else {
      data.layers.forEach(function (l) { entries.push([layerColour(l.layer), '#' + l.layer, l.label]); });
    }
    entries.forEach(function (e) {
      var sw = el('i', { className: 'sw' });
      sw.style.background = e[0];
      box.appendChild(el('span', { title: e[2] }, [sw, document.createTextNode(e[1])]));
    });
  }

  function drawTree() {
    var cur = trail[trail.length - 1];
    var top = items(kids(cur), cur[1]);
    treeChart.setOption({
      animation: false,
      tooltip: {
        confine: true,
        formatter: function (p) {
          if (p.data && p.data.wFold) {
            var f = p.data.wFold;
            return '<b>' + esc(p.data.name) + '</b><br>' + esc(fmtBytes(p.data.value)) + ' in ' + f.entries +
                   ' entr' + (f.entries === 1 ? 'y' : 'ies') + '<br>' +
                   (f.open !== undefined ? 'click to open ' + esc(pathText(nodeAt([f.open])))
                                         : 'click to show them');
          }
          if (!p.data || !p.data.wPath) return '';
          var nodes = nodeAt(p.data.wPath);
          var n = nodes[nodes.length - 1];
          return '<b>' + esc(pathText(nodes)) + '</b><br>' + esc(fmtBytes(n[1])) + ' in ' + n[2] + ' file' +
                 (n[2] === 1 ? '' : 's') + '<br>kind: ' + esc(data.tree.kinds[n[3]]) + '<br>layer: ' +
                 esc(layerLabel(n[4]));
        }
      },
      series: [{
        type: 'treemap',
        name: pathText([]),
        data: top,
        top: 0, left: 0, right: 0, bottom: 0,
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        label: { show: true, formatter: '{b}', overflow: 'truncate' },
        upperLabel: { show: true, height: 18, color: '#fff', overflow: 'truncate' },
        itemStyle: { borderColor: '#fff' },
        levels: [
          { itemStyle: { borderWidth: 0, gapWidth: 2 }, upperLabel: { show: false } },  // the view's root
          { itemStyle: { borderWidth: 3, gapWidth: 1 } },
          { itemStyle: { borderWidth: 1, gapWidth: 0, borderColor: 'rgba(255,255,255,0.7)' }, upperLabel: { show: false } }
        ]
      }]
    }, true);
    drawBreadcrumb();
    setHash();
    var b = data.tree.budget;
    var n = kids(cur).length;
    var paged = n > MAX_CHILDREN
        ? 'The ' + MAX_CHILDREN + ' largest of ' + n + ' entries are drawn; click the grey "[' + (n - MAX_CHILDREN) +
              ' more]" for the others. '
        : '';
    document.getElementById('tree-note').textContent =
        cur[2] + ' files, ' + fmtBytes(cur[1]) + ' live content. Click a directory to open it. ' + paged +
        (b.thresholdBytes > 0
            ? 'Files and directories under ' + fmtBytes(b.thresholdBytes) + ' are folded into "[N smaller files]" (' +
                  b.nodes + ' of ' + b.allNodes + ' nodes kept).'
            : 'Every file is shown (' + b.nodes + ' nodes).');
  }

  // The open directory is the URL's fragment ("report.html#/usr/lib"), so
  // a view can be linked to and survives a reload.
  function setHash() {
    var names = trail.slice(1).filter(function (n) { return !isPage(n); })
        .map(function (n) { return encodeURIComponent(n[0]); });
    var want = names.length ? '#/' + names.join('/') : '';
    if (location.hash === want) return;
    try {
      history.replaceState(null, '', want || location.pathname + location.search);
    } catch (e) {
      // A browser that refuses URL changes here (some file:// set-ups) keeps the page working.
    }
  }
  function openHash() {
    var parts = location.hash.replace(/^#\/?/, '').split('/');
    for (var i = 0; i < parts.length && parts[i].length; i++) {
      var name;
      try {
        name = decodeURIComponent(parts[i]);
      } catch (e) {
        return;
      }
      var next = kids(trail[trail.length - 1]).find(function (k) { return k[0] === name && kids(k).length; });
      if (!next) return;
      trail.push(next);
    }
  }

  function setupTree() {
    openHash();
    treeChart = echarts.init(document.getElementById('tree-chart'), null, { renderer: 'svg' });
    treeChart.on('click', function (p) {
      if (p.data && p.data.wFold) {
        var f = p.data.wFold;
        trail = trail.concat(f.page ? [pageNode(trail[trail.length - 1], f.page)] : nodeAt([f.open]));
        drawTree();
        return;
      }
      if (!p.data || !p.data.wPath) return;
      // Open the deepest directory on the clicked item's path.
      var nodes = nodeAt(p.data.wPath);
      var deepest = -1;
      nodes.forEach(function (n, i) { if (kids(n).length) deepest = i; });
      if (deepest < 0) return;
      trail = trail.concat(nodes.slice(0, deepest + 1));
      drawTree();
    });
    var group = document.getElementById('colour-toggle');
    group.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      colourBy = b.getAttribute('data-colour');
      setToggle(group, b);
      drawLegend();
      drawTree();
    });
    drawLegend();
    drawTree();
  }

  // ---- tables --------------------------------------------------------------

  function table(id, head, rows) {
    var t = typeof id === 'string' ? document.getElementById(id) : id;
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', { className: h[1] || '', text: h[0] })); });
    t.appendChild(el('thead', null, [tr]));
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) {
        var td = el('td', { className: c.cls || '', text: c.text });
        if (c.title) td.title = c.title;
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    t.appendChild(body);
    return t;
  }

  function drawWaste() {
    var w = data.waste;
    document.getElementById('waste-note').textContent =
        fmtBytes(H.reclaimableBytes) + ' of ' + fmtBytes(H.contentBytes) + ' content bytes are stored but not visible ' +
        'in the final filesystem: overwritten, deleted or hidden by a later layer.' +
        (w.paths.length ? '' : ' Nothing is reclaimable.');
    if (!w.paths.length) return;
    var rows = w.paths.map(function (p) {
      return [
        { text: p.path, cls: 'path' },
        { text: '#' + p.storedIn, title: layerLabel(p.storedIn) },
        { text: p.killedBy === null ? '' : '#' + p.killedBy, title: p.killedBy === null ? '' : layerLabel(p.killedBy) },
        { text: p.reason },
        { text: String(p.files), cls: 'num' },
        { text: fmtBytes(p.sizeBytes), cls: 'num', title: p.sizeBytes + ' bytes' }
      ];
    });
    if (w.others) {
      rows.push([{ text: '[' + w.others.groups + ' Others]', cls: 'path' }, { text: '' }, { text: '' }, { text: '' },
                 { text: String(w.others.files), cls: 'num' },
                 { text: fmtBytes(w.others.sizeBytes), cls: 'num', title: w.others.sizeBytes + ' bytes' }]);
    }
    table('waste-table', [['path'], ['stored in'], ['killed by'], ['how'], ['files', 'num'], ['bytes', 'num']], rows);
  }

  function drawFindings() {
    var box = document.getElementById('findings');
    var x = data.explain;
    if (!x) {
      box.appendChild(el('p', { className: 'note', text: 'Run whittle report with --dockerfile FILE to add explain\'s findings.' }));
      return;
    }
    box.appendChild(el('p', { className: 'note', text: x.findings.length + ' finding(s) on ' + (x.dockerfile || 'the image history') +
        (x.projectedAll ? '; all measured edits together would leave ' + fmtBytes(x.projectedAll.sizeBytes) +
                          ' (' + fmtBytes(x.projectedAll.blobBytes) + ' compressed)' : '') + '.' }));
    var t = el('table');
    table(t, [['bytes', 'num'], ['line'], ['finding'], ['layers']], []);
    var body = t.querySelector('tbody');
    x.findings.forEach(function (f) {
      var msg = el('td', null, [el('div', { text: f.message })]);
      if (f.edit) msg.appendChild(el('pre', { text: f.edit }));
      var row = el('tr', null, [
        el('td', { className: 'num', text: f.bytes === null || f.bytes === undefined ? '' : fmtBytes(f.bytes) }),
        el('td', { text: f.line ? (f.file ? f.file.split('/').pop() + ':' : '') + f.line : '' }),
        msg,
        el('td', { text: (f.layers || []).map(function (n) { return '#' + n; }).join(' ') })
      ]);
      row.title = f.id + ' (' + f.lever + ', ' + f.confidence + ')';
      body.appendChild(row);
    });
    box.appendChild(t);
  }

  function diffTable(d, source) {
    var rows = d.rows.map(function (r) {
      var cls = r.deltaTarSize > 0 ? 'num grew' : r.deltaTarSize < 0 ? 'num shrank' : 'num';
      return [
        { text: r[source], cls: 'path' },
        { text: r.status },
        { text: fmtBytes(r.oldTarSize), cls: 'num' },
        { text: fmtBytes(r.newTarSize), cls: 'num' },
        { text: fmtDelta(r.deltaTarSize), cls: cls, title: r.deltaTarSize + ' bytes' },
        { text: fmtDelta(r.deltaBlobSize), cls: 'num', title: r.deltaBlobSize + ' bytes' }
      ];
    });
    return table(el('table'), [[source], ['status'], ['old', 'num'], ['new', 'num'], ['change', 'num'],
                               ['change (compressed)', 'num']], rows);
  }

  function drawDiff() {
    var box = document.getElementById('diff');
    var d = data.diff;
    if (!d) {
      box.appendChild(el('p', { className: 'note', text: 'Run whittle report with --base OLD to compare with an older image.' }));
      return;
    }
    var t = d.kinds.total;
    box.appendChild(el('p', { text: 'From ' + d.base + ': ' + fmtBytes(t.oldTarSize) + ' \u2192 ' + fmtBytes(t.newTarSize) +
        ' (' + fmtDelta(t.deltaTarSize) + ') uncompressed, ' + fmtBytes(t.oldBlobSize) + ' \u2192 ' +
        fmtBytes(t.newBlobSize) + ' (' + fmtDelta(t.deltaBlobSize) + ') compressed.' }));
    box.appendChild(el('h3', { text: 'By kind' }));
    box.appendChild(diffTable(d.kinds, 'kinds'));
    box.appendChild(el('h3', { text: 'By path' }));
    box.appendChild(diffTable(d.paths, 'paths'));
  }

  // The page is drawn in steps, each its own task (a zero timeout between
  // them), so that the browser paints and answers input in between and no
  // one step holds the main thread long: the header and the tables first
  // (plain DOM), then the layer chart, then the treemap. body[data-ready]
  // says all are drawn.
  var steps = [
    drawHeader,
    drawWaste,
    drawFindings,
    drawDiff,
    setupLayers,
    setupTree,
    function () {
      window.addEventListener('resize', function () {
        layersChart.resize();
        treeChart.resize();
      });
      document.body.setAttribute('data-ready', '1');
    }
  ];
  function run(i) {
    steps[i]();
    if (i + 1 < steps.length) setTimeout(function () { run(i + 1); }, 0);
  }
  document.getElementById('layers-chart').style.height = Math.max(140, 26 * data.layers.length + 50) + 'px';
  run(0);
})();
