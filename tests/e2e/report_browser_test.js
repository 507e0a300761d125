// Opens a `whittle report` page in a real headless browser (Debian's
// chromium over the DevTools protocol, or firefox-esr over WebDriver BiDi,
// both driven by puppeteer-core) from file:// and checks what a person
// would see (tests/e2e/report_browser_test.sh runs it):
//   - the page loads with no console error and no network request;
//   - it embeds exactly the data of `whittle report --json`;
//   - the header shows the numbers `whittle waste --json` and
//     `profile --json` print;
//   - the layer chart draws one bar per layer, in both domains;
//   - the treemap draws, a click drills down, the breadcrumb goes back,
//     and the colour switch recolours it;
//   - the findings and diff sections list what the data holds;
//   - a screenshot is saved;
//   - on a second page (a 5,000-file tree whose /app/src holds N, 250,
//     files): the "#/app/src" link opens that directory, a click on its
//     grey "[N-200 more]" fold opens entries 201-N, the breadcrumb goes
//     back, and a fold
//     inside a child opens that child.
//
//   node report_browser_test.js NPM_DIR chromium|firefox EXECUTABLE PAGE.html REPORT.json WASTE.json
//        PROFILE.json SHOT.png PAGING.html PAGING.json
'use strict';
const assert = require('assert');
const path = require('path');

const [npmDir, browserName, exe, pageFile, reportJson, wasteJson, profileJson, shot, pagingFile, pagingJson] =
    process.argv.slice(2);
const puppeteer = require(path.resolve(npmDir, 'node_modules', 'puppeteer-core'));
const fs = require('fs');

const LIVE = 'rgb(78,121,167)';  // report.js LIVE, #4e79a7
const FOLD = 'rgb(186,176,172)';  // report.js fold(), #bab0ac

function check(cond, what) {
  if (!cond) throw new Error('FAILED: ' + what);
  console.log('ok: ' + what);
}

// The fill of an SVG element as "rgb(r,g,b)", whatever form ECharts wrote.
const normFill = `function normFill(e) {
  const f = (e.getAttribute('fill') || '').replace(/\\s+/g, '').toLowerCase();
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(f);
  if (m) return 'rgb(' + parseInt(m[1], 16) + ',' + parseInt(m[2], 16) + ',' + parseInt(m[3], 16) + ')';
  return f;
}`;

function kids(n) { return n.length > 5 && Array.isArray(n[5]) ? n[5] : []; }

// The paging checks on the 5,000-file page.
async function paging(browser) {
  const report = JSON.parse(fs.readFileSync(pagingJson, 'utf8'));
  const app = kids(report.tree.root).find((n) => n[0] === 'app');
  const src = kids(app).find((n) => n[0] === 'src');
  const n = kids(src).length;
  check(n > 200 && n < 400, `/app/src holds ${n} entries: more than one view (200), less than two`);
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  await page.goto('file://' + path.resolve(pagingFile) + '#/app/src', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.evaluate(normFill);
  const crumbs = () => page.evaluate(() => Array.from(document.querySelectorAll('#breadcrumb button'))
      .map((b) => b.textContent));
  const note = () => page.evaluate(() => document.getElementById('tree-note').textContent);
  const labels = () => page.evaluate(() => Array.from(document.querySelectorAll('#tree-chart svg text'))
      .map((t) => t.textContent));
  // Polls |cond| for up to 2 s (a browser may draw a frame or two later).
  const until = async (cond) => {
    for (let i = 0; i < 40; i++) {
      if (await cond()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  // ECharts draws on the next animation frame.
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // The centre of the largest grey fold.
  const clickFold = async () => {
    const at = await page.evaluate((fold) => {
      document.getElementById('tree-chart').scrollIntoView();
      let best = null;
      document.querySelectorAll('#tree-chart svg path').forEach((e) => {
        if (normFill(e) !== fold) return;
        const r = e.getBoundingClientRect();
        if (!best || r.width * r.height > best.width * best.height) best = r;
      });
      return best && { x: best.left + best.width / 2, y: best.top + best.height / 2,
                       low: best.top + best.height * 0.85 };
    }, FOLD);
    check(at !== null, 'a grey fold is drawn');
    // The centre may fall on the fold's label, which a busy browser has
    // sometimes not yet wired to the node (seen once in CI, under ASan
    // beside other tests): then a second click lower in the same fold.
    const before = JSON.stringify(await crumbs());
    await page.mouse.click(at.x, at.y);
    await frames();
    if (!(await until(async () => JSON.stringify(await crumbs()) !== before))) {
      console.log('note: the click on the fold centre did nothing; clicking lower in the fold');
      await page.mouse.click(at.x, at.low);
      await frames();
      await until(async () => JSON.stringify(await crumbs()) !== before);
    }
  };
  check(JSON.stringify(await crumbs()) === '["/","app","src"]', 'the #/app/src link opens /app/src');
  check((await note()).includes(`The 200 largest of ${n} entries are drawn`), `the note says 200 of ${n} are drawn`);
  check((await labels()).includes(`[${n - 200} more]`), `the ${n - 200} smallest are one "[${n - 200} more]" fold`);
  await clickFold();
  const paged = await crumbs();
  check(JSON.stringify(paged) === JSON.stringify(['/', 'app', 'src', `[201-${n}]`]),
        `a click on the fold opens entries 201-${n}: ${JSON.stringify(paged)}`);
  // A label of an entry 201-N is drawn, and hovering it names that entry.
  const second = kids(src).slice(200).map((k) => k[0]);
  const findLabel = () => page.evaluate((names) => {
    const t = Array.from(document.querySelectorAll('#tree-chart svg text')).find((e) => names.includes(e.textContent));
    if (!t) return null;
    const r = t.getBoundingClientRect();
    return { name: t.textContent, x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, second);
  const label = await findLabel();
  check(label !== null, `an entry 201-${n} is labelled: ${label && label.name}`);
  // A busy browser may still be laying the new view out when the mouse
  // arrives: while no tip shows, find the label again and move onto it anew.
  let tip = '';
  for (let i = 0; i < 40 && !tip.startsWith('/app/src/'); i++) {
    if (i % 10 === 0) {
      const at = (await findLabel()) || label;
      await page.mouse.move(at.x - 1, at.y - 1);
      await page.mouse.move(at.x, at.y);
    }
    await new Promise((r) => setTimeout(r, 50));
    tip = await page.evaluate(() => Array.from(document.querySelectorAll('#tree-chart div b'))
        .map((d) => d.textContent).join('\n'));
  }
  const hovered = /^\/app\/src\/([^/]+)/.exec(tip);
  check(hovered !== null && second.includes(hovered[1]), `hovering it names an entry 201-${n}: ${JSON.stringify(tip)}`);
  check(await page.evaluate(() => location.hash) === '#/app/src', 'the URL names the directory: #/app/src');
  await page.click('#breadcrumb button[data-depth="2"]');
  await frames();
  check(await until(async () => JSON.stringify(await crumbs()) === '["/","app","src"]' &&
                               (await labels()).includes(`[${n - 200} more]`)),
        'the breadcrumb goes back to the first 200');
  await page.click('#breadcrumb button[data-depth="1"]');
  await frames();
  check(JSON.stringify(await crumbs()) === '["/","app"]', 'the breadcrumb goes up to /app');
  check(await page.evaluate(() => location.hash) === '#/app', 'the URL follows: #/app');
  await clickFold();
  const opened = await crumbs();
  const child = kids(app).find((n) => n[0] === opened[2]);
  check(opened.length === 3 && child !== undefined && kids(child).length > 25,
        'a fold inside a child opens that child: ' + JSON.stringify(opened));
  check(problems.length === 0, 'no console errors on the paging page: ' + JSON.stringify(problems));
  await page.close();
}

async function main() {
  const report = JSON.parse(fs.readFileSync(reportJson, 'utf8'));
  const waste = JSON.parse(fs.readFileSync(wasteJson, 'utf8'));
  const profile = JSON.parse(fs.readFileSync(profileJson, 'utf8'));
  let launch;
  if (browserName === 'chromium') {
    launch = {
      executablePath: exe,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-default-apps', '--disable-sync'],
    };
  } else if (browserName === 'firefox') {
    // puppeteer-core speaks WebDriver BiDi to Firefox, in a fresh profile.
    launch = { browser: 'firefox', executablePath: exe, headless: true };
  } else {
    throw new Error('unknown browser ' + browserName);
  }
  const browser = await puppeteer.launch(launch);
  console.log('browser: ' + (await browser.version()));
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const problems = [];
    const requests = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn' || m.type() === 'warning') problems.push(m.type() + ': ' + m.text());
    });
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
    page.on('request', (r) => requests.push(r.url()));
    const url = 'file://' + path.resolve(pageFile);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    await page.evaluate(normFill);

    // The data is report --json's.
    const embedded = await page.evaluate(() => JSON.parse(document.getElementById('whittle-data').textContent));
    assert.deepStrictEqual(embedded, report);
    check(true, 'the page embeds exactly the data of report --json');

    // Header figures.
    const fields = await page.evaluate(() => {
      const out = {};
      document.querySelectorAll('#header [data-field]').forEach((e) => {
        out[e.getAttribute('data-field')] = { value: e.getAttribute('data-value'), text: e.textContent };
      });
      return out;
    });
    const want = {
      blobBytes: profile.total.blobSize,
      tarBytes: profile.total.tarSize,
      reclaimableBytes: waste.reclaimableBytes,
      efficiency: waste.efficiency,
      layerCount: waste.layers.length,
    };
    for (const [k, v] of Object.entries(want)) {
      check(fields[k] !== undefined && Number(fields[k].value) === v && fields[k].text.length > 0,
            `header ${k} = ${v} (shown ${fields[k] && fields[k].text})`);
    }

    // One bar per layer, in both domains.
    const layers = report.layers.length;
    const liveBars = () => page.evaluate((live) => {
      const svg = document.querySelector('#layers-chart svg');
      return svg ? Array.from(svg.querySelectorAll('path')).filter((e) => normFill(e) === live).length : -1;
    }, LIVE);
    check(await liveBars() === layers, `layer chart draws ${layers} live bars (compressed)`);
    const labels = await page.evaluate(() => Array.from(document.querySelectorAll('#layers-chart svg text'))
        .map((t) => t.textContent));
    check(labels.some((t) => t.startsWith('#1 ')) && labels.some((t) => t.startsWith('#' + layers + ' ')),
          'layer bars are labelled by instruction');
    await page.click('#domain-toggle button[data-domain="tar"]');
    check(await liveBars() === layers, `layer chart draws ${layers} live bars (uncompressed)`);

    // Treemap: draws, drills down, comes back.
    const rects = () => page.evaluate(() => document.querySelectorAll('#tree-chart svg path').length);
    check(await rects() > 3, 'treemap draws');
    const crumbs = () => page.evaluate(() => Array.from(document.querySelectorAll('#breadcrumb button'))
        .map((b) => b.textContent));
    check(JSON.stringify(await crumbs()) === '["/"]', 'breadcrumb starts at /');
    const root = report.tree.root;
    const dir = root[5].find((n) => Array.isArray(n[5]) && n[5].length > 0);
    check(dir !== undefined, 'the root holds a directory: ' + (dir && dir[0]));
    // Click inside the directory's rectangle: just below its label band.
    const at = await page.evaluate((name) => {
      document.getElementById('tree-chart').scrollIntoView();
      const t = Array.from(document.querySelectorAll('#tree-chart svg text')).find((e) => e.textContent === name);
      if (!t) return null;
      const r = t.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, dir[0]);
    check(at !== null, `treemap labels ${dir[0]}`);
    await page.mouse.click(at.x, at.y);
    if ((await crumbs()).length < 2) await page.mouse.click(at.x, at.y + 20);  // inside, below the label
    const deeper = await crumbs();
    check(deeper.length >= 2 && deeper[1] === dir[0], `a click drills down into ${dir[0]}: ${JSON.stringify(deeper)}`);
    const child = dir[5][0][0];
    check(await page.evaluate((name) => Array.from(document.querySelectorAll('#tree-chart svg text'))
        .some((e) => e.textContent === name), child), `the drilled view shows ${child}`);
    await page.click('#breadcrumb button[data-depth="0"]');
    check(JSON.stringify(await crumbs()) === '["/"]', 'the breadcrumb goes back to /');

    // Colour by layer.
    const fills = () => page.evaluate(() => Array.from(document.querySelectorAll('#tree-chart svg path'))
        .map(normFill).sort().join(' '));
    const byKind = await fills();
    await page.click('#colour-toggle button[data-colour="layer"]');
    const byLayer = await fills();
    check(byKind !== byLayer, 'colour by layer recolours the treemap');
    const legend = await page.evaluate(() => document.querySelectorAll('#tree-legend span').length);
    check(legend === layers, 'the legend lists every layer');
    await page.click('#colour-toggle button[data-colour="kind"]');

    // Waste, findings, diff.
    const wasteRows = await page.evaluate(() => document.querySelectorAll('#waste-table tbody tr').length);
    check(wasteRows === report.waste.paths.length + (report.waste.others ? 1 : 0), `waste table has ${wasteRows} rows`);
    if (report.explain) {
      const n = await page.evaluate(() => document.querySelectorAll('#findings tbody tr').length);
      check(n === report.explain.findings.length && n > 0, `findings list ${n} findings`);
    }
    if (report.diff) {
      const n = await page.evaluate(() => document.querySelectorAll('#diff tbody tr').length);
      check(n === report.diff.kinds.rows.length + report.diff.paths.rows.length && n > 0, `diff lists ${n} rows`);
    }

    // A hover shows the full instruction.
    const bar = await page.evaluate((live) => {
      const p = Array.from(document.querySelectorAll('#layers-chart svg path')).filter((e) => normFill(e) === live);
      const r = p[p.length - 1].getBoundingClientRect();
      return { x: r.left + Math.max(1, r.width / 2), y: r.top + r.height / 2 };
    }, LIVE);
    await page.mouse.move(bar.x, bar.y);
    await new Promise((r) => setTimeout(r, 300));
    const tip = await page.evaluate(() => Array.from(document.querySelectorAll('#layers-chart div'))
        .map((d) => d.textContent).join('\n'));
    check(report.layers.some((l) => l.instruction.length > 0 && tip.includes(l.instruction)),
          'hovering a bar shows its full instruction');

    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot saved: ' + shot);

    check(problems.length === 0, 'no console errors: ' + JSON.stringify(problems));
    const others = requests.filter((u) => u !== url);
    check(others.length === 0, 'no request but the page itself: ' + JSON.stringify(others));
    await paging(browser);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
