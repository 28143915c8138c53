// Keyboard-only walkthrough, axe-core scan (no serious/critical violations), screenshots of the
// desktop and narrow layouts, and the performance budgets written to artifacts/budgets.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { setup, screenshot, artifacts, dist, root, runInConsole, axe } from './helpers.mjs';

let env;
const budgets = {};
before(async () => { env = await setup(); });
after(async () => {
  await env?.close();
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'budgets.json'), JSON.stringify(budgets, null, 2) + '\n');
});

test('keyboard only: play with Space, run a command, add a node, apply', async () => {
  const page = await env.open('?play=0');
  const clock = page.getByRole('timer', { name: 'Simulated clock' });
  const t0 = await clock.textContent();
  await page.locator('body').press('Space');
  await page.waitForTimeout(600);
  await page.locator('body').press('Space');
  assert.notEqual(await clock.textContent(), t0, 'Space plays');
  // Tab from the top reaches the skip link, which jumps to the console.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the console');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sim node add k1');
  await page.keyboard.press('Enter');
  await page.getByRole('listitem', { name: 'Node k1' }).waitFor();
  // Add node form, keyboard only.
  await page.getByRole('button', { name: 'Add node' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('k2');            // the name field takes focus
  await page.keyboard.press('Tab');
  await page.keyboard.type('tier=web');
  await page.keyboard.press('Enter');        // submits the form
  await page.getByRole('group', { name: 'Labels of k2' }).getByText('tier=web').waitFor();
  // Editor: Ctrl+Enter applies.
  await page.getByRole('combobox', { name: 'Examples' }).focus();
  await page.keyboard.press('End');
  await page.getByRole('textbox', { name: 'Manifest YAML' }).focus();
  await page.keyboard.press('Control+Enter');
  await page.locator('#editor-feedback > div').waitFor();
  // Every focusable control has an accessible name.
  const unnamed = await page.evaluate(() => {
    const sel = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll(sel)]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.getAttribute('title');
        return !name || !name.trim();
      })
      .map((el) => el.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unnamed, []);
  assert.deepEqual(page.errors, []);
});

/**
 * The first-load ceiling and target of scripts/size-budget.mjs (`const BUDGET = 900 * 1024;`), read
 * from its source so that the script and this test can never disagree.
 */
function sizeBudget() {
  const text = readFileSync(path.join(root, 'scripts/size-budget.mjs'), 'utf8');
  const value = (name) => {
    const m = new RegExp(`const ${name} = ([0-9 *]+);`).exec(text);
    assert.ok(m, `scripts/size-budget.mjs defines ${name} as a product of numbers`);
    return m[1].split('*').reduce((acc, n) => acc * Number(n.trim()), 1);
  };
  return { ceiling: value('BUDGET'), target: value('TARGET') };
}

test('axe-core: no serious or critical violations, light and dark, desktop and narrow', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await env.open('?play=0', { colorScheme });
    await runInConsole(page, 'sim advance 20s');
    await page.locator('.workload summary').first().click();
    assert.deepEqual(await axe(page), [], `desktop ${colorScheme}`);
    await screenshot(page, `desktop-${colorScheme}.png`);
    await page.setViewportSize({ width: 420, height: 900 });
    assert.deepEqual(await axe(page), [], `narrow ${colorScheme}`);
    await screenshot(page, `narrow-${colorScheme}-cluster.png`);
    await page.getByRole('tab', { name: 'Editor', exact: true }).click();
    await screenshot(page, `narrow-${colorScheme}-editor.png`);
  }
});

test('budgets: first load size and first cluster drawn', async () => {
  // First load: html + js + wasm + css, gzip -9.
  let gz = 0;
  const files = {};
  for (const f of readdirSync(dist)) {
    if (!/\.(html|js|wasm|css)$/.test(f)) continue;
    const size = gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
    files[f] = { bytes: statSync(path.join(dist, f)).size, gzip: size };
    gz += size;
  }
  budgets.firstLoadGzipBytes = gz;
  budgets.files = files;
  const { ceiling, target } = sizeBudget();
  budgets.firstLoadCeilingBytes = ceiling;
  budgets.firstLoadTargetBytes = target;
  assert.ok(gz <= ceiling, `first load ${gz} B gzip > ${ceiling} B (the ceiling in scripts/size-budget.mjs)`);

  // First cluster drawn: from navigation start to the first node card in the DOM, read inside the
  // page on every animation frame (a fresh context: nothing cached, nothing saved).
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const first = await context.newPage();
    await first.goto(env.server.url + '?play=0', { waitUntil: 'commit' });
    const handle = await first.waitForFunction(
      () => document.querySelector('[aria-label="Node n1"]') && performance.now(),
      null,
      { polling: 'raf', timeout: 10_000 },
    );
    const drawnMs = await handle.jsonValue();
    budgets.firstClusterDrawnMs = Math.round(drawnMs);
    // Target 1 s (README); fails past 3 s, a regression rather than a busy machine.
    budgets.firstClusterDrawnTargetMs = 1000;
    assert.ok(drawnMs < 3000, `first cluster drawn after ${drawnMs} ms (target 1000 ms)`);
  } finally {
    await context.close();
  }

});

// The budget is 16 ms per tick (README). Wall-clock figures in a shared CI machine are noisy, so
// the test records them (tests/e2e/artifacts/budgets.json) and fails only past a ceiling that
// catches a regression to the old cost (87 ms median before the view caches): the per-tick cost
// itself is benchmarked natively in `cargo bench --bench page`.
const FRAME_TARGET_MS = 16;
const FRAME_CEILING_MEDIAN_MS = 40;
test('budgets: frame time while playing with 200 nodes / 2000 pods', async () => {
  // 200 nodes and 2000 pods (10 DaemonSets over every node), then play at 20x.
  const big = await env.open('?scenario=empty&play=0');
  const yaml = Array.from({ length: 10 }, (_, i) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ds${i}
spec:
  selector:
    matchLabels: {app: ds${i}}
  template:
    metadata:
      labels: {app: ds${i}}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "sleep 100000"]
`).join('---\n');
  const lines = Array.from({ length: 200 }, (_, i) => `sim node add b${String(i).padStart(3, '0')}`);
  const input = big.getByRole('textbox', { name: 'kubectl command' });
  for (const l of lines) {
    await input.fill(l);
    await input.press('Enter');
  }
  await big.getByRole('textbox', { name: 'Manifest YAML' }).fill(yaml);
  await big.getByRole('button', { name: 'Apply', exact: true }).click();
  // The DaemonSet controller's client sends 20 requests a second (kube-controller-manager's
  // --kube-api-qps): 2000 daemon pods take about two and a half simulated minutes.
  for (let i = 0; i < 3; i++) await runInConsole(big, 'sim advance 60s');
  const counts = await big.locator('.pane-cluster .pane-head .muted').textContent();
  budgets.bigCluster = counts;
  assert.equal(counts, '200 nodes, 2000 pods');
  // Two measures while playing at 20x: the work of one tick (dispatch → DOM updated, recorded by
  // the page into window.__kubeplayFrames) and the gaps between animation frames (what a learner
  // sees as jank: includes style, layout and paint).
  await big.evaluate(() => {
    window.__kubeplayFrames = [];
    window.__rafGaps = [];
    let last = performance.now();
    const loop = (t) => {
      window.__rafGaps.push(t - last);
      last = t;
      if (!window.__rafStop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  await big.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '20×' });
  await big.getByRole('button', { name: 'Play' }).click();
  await big.waitForTimeout(4000);
  await big.getByRole('button', { name: 'Pause' }).click();
  const { frames, gaps } = await big.evaluate(() => {
    window.__rafStop = true;
    return { frames: window.__kubeplayFrames ?? [], gaps: window.__rafGaps.slice(1) };
  });
  const stats = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    const q = (f) => v[Math.min(v.length - 1, Math.floor(f * v.length))] ?? null;
    const r = (x) => (x === null ? null : Math.round(x * 10) / 10);
    return { count: v.length, medianMs: r(q(0.5)), p95Ms: r(q(0.95)), maxMs: r(v.at(-1) ?? null) };
  };
  budgets.playTicks = stats(frames);
  budgets.playFrameGaps = stats(gaps);
  await screenshot(big, 'desktop-200-nodes.png');
  assert.ok(frames.length > 10, 'ticks were measured');
  budgets.playTickTargetMs = FRAME_TARGET_MS;
  assert.ok(
    budgets.playTicks.medianMs <= FRAME_CEILING_MEDIAN_MS,
    `tick work median ${budgets.playTicks.medianMs} ms > ${FRAME_CEILING_MEDIAN_MS} ms (target ${FRAME_TARGET_MS} ms)`,
  );
});
