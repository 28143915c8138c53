// Keyboard-only walkthrough, axe-core scan (no serious/critical violations), screenshots of the
// desktop and narrow layouts, and the performance budgets written to artifacts/budgets.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setup, screenshot, artifacts, dist, root, runInConsole } from './helpers.mjs';

const require = createRequire(path.join(root, 'tools/package.json'));
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

async function axe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const res = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
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
    await page.getByRole('button', { name: 'Editor', exact: true }).click();
    await screenshot(page, `narrow-${colorScheme}-editor.png`);
  }
});

test('budgets: first load size, first cluster drawn, frame time with 200 nodes / 2000 pods', async () => {
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
  assert.ok(gz <= 450 * 1024, `first load ${gz} B gzip > 450 KB`);

  // First cluster drawn after navigation.
  const page = await env.open('?play=0');
  await page.reload();
  await page.getByRole('listitem', { name: 'Node n1' }).waitFor();
  const drawn = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = performance.now();
    return { sinceNavigation: mark - (nav?.startTime ?? 0) };
  });
  budgets.firstClusterDrawnMs = Math.round(drawn.sinceNavigation);
  assert.ok(drawn.sinceNavigation < 1000, `first cluster drawn after ${drawn.sinceNavigation} ms`);

  // 200 nodes and 2000 pods (a DaemonSet per node x 10), then play at 20x.
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
  await runInConsole(big, 'sim advance 30s');
  const pods = await big.locator('.pane-cluster .muted').first().textContent();
  budgets.bigCluster = pods;
  await big.evaluate(() => { window.__kubeplayFrames = []; });
  await big.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '20×' });
  await big.getByRole('button', { name: 'Play' }).click();
  await big.waitForTimeout(4000);
  await big.getByRole('button', { name: 'Pause' }).click();
  const frames = await big.evaluate(() => window.__kubeplayFrames ?? []);
  frames.sort((a, b) => a - b);
  const p = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))] ?? null;
  budgets.playFrames = { count: frames.length, medianMs: p(0.5), p95Ms: p(0.95), maxMs: frames.at(-1) ?? null };
  await screenshot(big, 'desktop-200-nodes.png');
  assert.ok(frames.length > 10, 'ticks were measured');
  assert.ok(p(0.5) <= 16, `median frame ${p(0.5)} ms > 16 ms`);
});
