// Times a `whittle report` page in a real headless browser (run by
// bench/report_bench.sh). Opens the page from file:// and prints:
//   - first contentful paint, DOMContentLoaded and "drawn" (the page sets
//     body[data-ready] when its script has drawn everything), from the
//     navigation's start;
//   - the longest time the main thread was blocked while loading, and
//     after: a 16 ms timer chain started before the page's own script
//     records every gap over 50 ms (works in every browser); in Chromium
//     also PerformanceObserver 'longtask' entries (tasks over 50 ms);
//   - three drill-downs into the largest directory on screen, then the
//     breadcrumb back to /, and the switch to colour by layer: each from
//     the mouse press to the breadcrumb (or legend) changing, and to the
//     next frame after it;
//   - in Chromium, the longest task of the page's main thread in CPU time,
//     for the load and for each interaction: a trace ('toplevel' RunTask
//     events with their thread time) of the page's renderer. This is the
//     figure a freeze is made of, and a loaded machine inflates it far
//     less than the wall-time long tasks.
// Figures only; it fails only when the page does not work (a console
// error, a request, a click that does not drill down).
//
// Each figure is given as min / median / max over RUNS fresh page loads in
// one browser; in Chromium also the main thread's CPU time (CDP
// Performance metrics, thread ticks), which a loaded machine inflates far
// less than wall time.
//
//   node report_browser_bench.js NPM_DIR chromium|firefox EXECUTABLE PAGE.html [RUNS]
'use strict';
const path = require('path');

const [npmDir, browserName, exe, pageFile, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg || 3);
const puppeteer = require(path.resolve(npmDir, 'node_modules', 'puppeteer-core'));

// Runs in the page before its own script.
const PROBE = `(function () {
  var b = window.__bench = { long: [], gaps: [], ready: null, events: [] };
  b.longtask = (PerformanceObserver.supportedEntryTypes || []).indexOf('longtask') >= 0;  // not in Firefox
  if (b.longtask) {
    new PerformanceObserver(function (l) {
      l.getEntries().forEach(function (e) { b.long.push([e.startTime, e.duration]); });
    }).observe({ type: 'longtask', buffered: true });
  }
  (function beat(last) {
    setTimeout(function () {
      var t = performance.now();
      if (t - last > 66) b.gaps.push([last, t - last - 16]);
      beat(t);
    }, 16);
  })(performance.now());
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.target === document.body && r.attributeName === 'data-ready' && b.ready === null) b.ready = performance.now();
    });
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
  window.addEventListener('mousedown', function () { b.pressed = performance.now(); }, true);
  document.addEventListener('DOMContentLoaded', function () {
    function watch(id) {
      new MutationObserver(function () {
        if (b.changed !== null && b.changed !== undefined) return;
        b.changed = performance.now();
        requestAnimationFrame(function () { setTimeout(function () { b.frame = performance.now(); }, 0); });
      }).observe(document.getElementById(id), { childList: true, subtree: true });
    }
    watch('breadcrumb');
    watch('tree-legend');
  });
})();`;

// The longest task on the main thread of the renderer showing |url|, in
// milliseconds of thread (CPU) time; null if the trace does not show it.
function longestTaskCpu(events, url) {
  const pids = new Set();
  for (const e of events) {
    const d = e.args && (e.args.data || e.args.beginData);
    if (d && typeof d.url === 'string' && d.url.startsWith(url)) pids.add(e.pid);
  }
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && pids.has(e.pid) &&
                                            e.args.name === 'CrRendererMain').map((e) => e.pid + ':' + e.tid));
  let end = -1;
  let longest = null;
  const tasks = events.filter((e) => e.ph === 'X' && main.has(e.pid + ':' + e.tid)).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  for (const e of tasks) {
    if (e.ts < end) continue;  // nested in the task before
    end = e.ts + (e.dur || 0);
    if (e.tdur !== undefined) longest = Math.max(longest || 0, e.tdur / 1000);
  }
  return longest;
}

// One page load and the interactions; returns { name: ms } and the notes.
async function runOnce(browser) {
  const r = {};
  const notes = {};
  const problems = [];
  const requests = [];
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 1280, height: 900 });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (q) => requests.push(q.url()));
    // Chromium: the main thread's CPU time (load-independent, unlike the
    // wall times on a shared machine).
    let cdp = null;
    if (browserName === 'chromium') {
      cdp = await page.createCDPSession();
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    }
    const cpu = async () => {
      if (!cdp) return null;
      const m = (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime');
      return m ? m.value * 1000 : null;
    };
    await page.evaluateOnNewDocument(PROBE);
    const url = 'file://' + path.resolve(pageFile);
    // Chromium: trace |fn|; the longest main-thread task in CPU ms.
    let tracedTask = null;
    const traced = async (fn) => {
      if (!cdp) return fn();
      await page.tracing.start({ categories: ['toplevel', 'devtools.timeline'] });
      try {
        await fn();
      } finally {
        const buf = await page.tracing.stop();
        tracedTask = longestTaskCpu(JSON.parse(Buffer.from(buf).toString('utf8')).traceEvents, url);
      }
    };
    const cpu0 = await cpu();
    let cpu1 = null;
    await traced(async () => {
      await page.goto(url, { waitUntil: 'load', timeout: 120000 });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 120000 });
      cpu1 = await cpu();
      await new Promise((res) => setTimeout(res, 500));  // let the heartbeat see the end of the load
    });
    const load = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        fcp: fcp ? fcp.startTime : null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        loadEnd: nav ? nav.loadEventEnd : null,
        ready: window.__bench.ready,
        longtask: window.__bench.longtask,
        heap: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null,
        svg: document.querySelectorAll('#tree-chart svg *').length,
      };
    });
    const blocks = () => page.evaluate(() => ({ long: window.__bench.long.slice(), gaps: window.__bench.gaps.slice() }));
    const atLoad = await blocks();
    const maxOf = (xs) => xs.reduce((m, x) => Math.max(m, x[1]), 0);
    r['first contentful paint'] = load.fcp;
    r['DOMContentLoaded'] = load.dcl;
    r['drawn (body[data-ready])'] = load.ready;
    r['load event end'] = load.loadEnd;
    if (cpu1 !== null) r['load: main-thread CPU to drawn'] = cpu1 - cpu0;
    r['load: longest block (timer gap)'] = maxOf(atLoad.gaps);
    if (load.longtask) r['load: longest long task'] = maxOf(atLoad.long);
    if (tracedTask !== null) r['load: longest task, main-thread CPU'] = tracedTask;
    if (load.heap !== null) notes['JS heap after load (MiB)'] = load.heap.toFixed(1);
    notes['treemap SVG elements at /'] = load.svg;

    // Press the mouse (|act|), wait for |done|; the page's own timings.
    async function timed(what, act, done, ...args) {
      await page.evaluate(() => { window.__bench.changed = null; window.__bench.frame = null; window.__bench.pressed = null; });
      const c0 = await cpu();
      let c1 = null;
      tracedTask = null;
      await traced(async () => {
        await act();
        await page.waitForFunction(done, { timeout: 120000 }, ...args);
        await page.waitForFunction(() => window.__bench.frame !== null, { timeout: 120000 });
        c1 = await cpu();
        await new Promise((res) => setTimeout(res, 200));  // any work the page left for later
      });
      const t = await page.evaluate(() => ({ p: window.__bench.pressed, c: window.__bench.changed, f: window.__bench.frame,
                                             n: document.querySelectorAll('#tree-chart svg *').length }));
      r[what + ': to the breadcrumb'] = t.c - t.p;
      r[what + ': to the next frame'] = t.f - t.p;
      if (c1 !== null) r[what + ': main-thread CPU'] = c1 - c0;
      if (tracedTask !== null) r[what + ': longest task CPU'] = tracedTask;
      notes['treemap SVG elements after ' + what] = t.n;
    }
    for (let depth = 1; depth <= 3; depth++) {
      const target = await page.evaluate(() => {
        const data = JSON.parse(document.getElementById('whittle-data').textContent);
        const names = Array.from(document.querySelectorAll('#breadcrumb button')).slice(1).map((b) => b.textContent);
        let n = data.tree.root;
        for (const name of names) n = n[5].find((k) => k[0] === name);
        const dir = n[5].find((k) => Array.isArray(k[5]) && k[5].length > 0);
        if (!dir) return null;
        document.getElementById('tree-chart').scrollIntoView();
        const t = Array.from(document.querySelectorAll('#tree-chart svg text')).find((e) => e.textContent === dir[0]);
        if (!t) return null;
        const b = t.getBoundingClientRect();
        return { name: dir[0], children: dir[5].length, x: b.left + b.width / 2, y: b.top + b.height / 2 };
      });
      if (target === null) throw new Error('no directory label to click at depth ' + depth);
      await timed(`open ${target.name} (${target.children} children)`, () => page.mouse.click(target.x, target.y),
                  (n) => document.querySelectorAll('#breadcrumb button').length === n, depth + 1);
    }
    await timed('breadcrumb back to /', () => page.click('#breadcrumb button[data-depth="0"]'),
                () => document.querySelectorAll('#breadcrumb button').length === 1);
    await timed('colour by layer', async () => {
      const b = await page.$('#colour-toggle button[data-colour="layer"]');
      const box = await b.boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }, () => document.querySelector('#colour-toggle button[data-colour="layer"]').classList.contains('on'));
    await new Promise((res) => setTimeout(res, 300));
    const all = await blocks();
    r['interactions: longest block (timer gap)'] = maxOf(all.gaps.slice(atLoad.gaps.length));
    if (load.longtask) r['interactions: longest long task'] = maxOf(all.long.slice(atLoad.long.length));
    if (problems.length) throw new Error('console errors: ' + JSON.stringify(problems));
    const others = requests.filter((u) => u !== url);
    if (others.length) throw new Error('requests: ' + JSON.stringify(others));
  } finally {
    await page.close();
  }
  return { r, notes };
}

async function main() {
  const opts = browserName === 'firefox'
    ? { browser: 'firefox', executablePath: exe, headless: true }
    : { executablePath: exe, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-default-apps', '--disable-sync'] };
  const browser = await puppeteer.launch(opts);
  try {
    const version = await browser.version();
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runOnce(browser));
    console.log(`${browserName} (${version}), ${path.basename(pageFile)}, ${RUNS} runs (ms: min / median / max):`);
    for (const k of Object.keys(runs[0].r)) {
      const v = runs.map((x) => x.r[k]).filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
      if (!v.length) continue;
      console.log(`  ${k.padEnd(52)} ${v[0].toFixed(0).padStart(6)} ${v[v.length >> 1].toFixed(0).padStart(6)} ${v[v.length - 1].toFixed(0).padStart(6)}`);
    }
    for (const [k, v] of Object.entries(runs[runs.length - 1].notes)) console.log(`  ${k}: ${v}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
