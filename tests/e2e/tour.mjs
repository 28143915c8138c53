// A screenshot tour of the page as a new learner takes it (not a test: `node tests/e2e/tour.mjs`
// after `trunk build --release`; ONLY=d or ONLY=n for desktop 1280×800 or phone 390×844 alone).
// Fresh page, play/pause, add a labeled node and watch the DaemonSet pod, remove it, examples,
// YAML typos, console commands, Tab, history, events filter, theme, reload, Tab order, lessons,
// embed links. Screenshots go to artifacts/walk/ (look at them); findings are printed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setup, runInConsole, advance, artifacts } from './helpers.mjs';

const dir = path.join(artifacts, 'walk');
await mkdir(dir, { recursive: true });
const env = await setup();
const shot = async (page, name, full = false) => page.screenshot({ path: path.join(dir, name), fullPage: full });
const log = (...a) => console.log(...a);
try {
  for (const [w, h, tag] of [[1280, 800, 'd'], [390, 844, 'n']].filter(([,,t]) => (process.env.ONLY ?? t).includes(t))) {
    const page = await env.open('', { viewport: { width: w, height: h } });
    await page.waitForTimeout(1500);
    await shot(page, `${tag}-01-fresh.png`);
    await shot(page, `${tag}-01-fresh-full.png`, true);
    // overflow check
    const overflow = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > window.innerWidth + 1 && getComputedStyle(el).position !== 'absolute') out.push(`${el.tagName}.${el.className} right=${Math.round(r.right)}`);
      }
      return { docW: document.documentElement.scrollWidth, winW: window.innerWidth, out: out.slice(0, 15) };
    });
    log(tag, 'overflow', JSON.stringify(overflow));
    // pause
    await page.getByRole('button', { name: 'Pause' }).click();
    // Add labeled node
    if (tag === 'n') await page.getByRole('tab', { name: 'Cluster', exact: true }).click();
    await page.getByRole('button', { name: 'Add node' }).click();
    await shot(page, `${tag}-02-addnode-form.png`);
    const form = page.getByRole('form', { name: 'Add node' });
    await form.getByRole('textbox', { name: 'Name' }).fill('n4');
    await form.getByRole('textbox', { name: 'Labels' }).fill('disktype=ssd');
    await form.getByRole('button', { name: 'Create node' }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(3000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await shot(page, `${tag}-03-node-added.png`, true);
    await page.getByRole('button', { name: 'Remove node n4' }).click();
    await page.waitForTimeout(300);
    await shot(page, `${tag}-04-node-removed.png`);
    // Editor
    if (tag === 'n') await page.getByRole('tab', { name: 'Editor', exact: true }).click();
    await page.getByRole('combobox', { name: 'Examples' }).selectOption('indexed-job');
    await shot(page, `${tag}-05-example-loaded.png`);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForTimeout(300);
    await shot(page, `${tag}-06-applied.png`);
    const ed = page.getByRole('textbox', { name: 'Manifest YAML' });
    const t = await ed.inputValue();
    await ed.fill(t.replace('  completions: 5', '  completions 5'));
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForTimeout(300);
    await shot(page, `${tag}-07-typo.png`);
    log(tag, 'feedback', await page.locator('#editor-feedback').innerText());
    await ed.fill(t.replace('kind: Job', 'kind: Jobb'));
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForTimeout(300);
    log(tag, 'feedback2', await page.locator('#editor-feedback').innerText());
    await shot(page, `${tag}-07b-kind-typo.png`);
    await ed.fill(t.replace('    spec:\n', '    spec:\n     bad: x\n'));
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForTimeout(300);
    log(tag, 'feedback3', await page.locator('#editor-feedback').innerText());
    await shot(page, `${tag}-07c-indent-typo.png`);
    // objects
    if (tag === 'n') await page.getByRole('tab', { name: 'Console', exact: true }).click();
    await advance(page, '30s');
    if (tag === 'n') await page.getByRole('tab', { name: 'Objects', exact: true }).click();
    await page.locator('.workload summary').first().click();
    await shot(page, `${tag}-08-objects.png`);
    // console
    if (tag === 'n') await page.getByRole('tab', { name: 'Console', exact: true }).click();
    for (const c of ['kubectl get pods', 'kubectl describe pod', 'kubectl logs job/pi', 'kubectl gett pods', 'get pods -o wide', 'kubectl get events']) {
      const r = await runInConsole(page, c);
      log(tag, c, JSON.stringify(r).slice(0, 300));
    }
    await shot(page, `${tag}-09-console.png`);
    const input = page.getByRole('textbox', { name: 'kubectl command' });
    await input.fill('kubectl get po');
    await input.press('Tab');
    log(tag, 'tab', await input.inputValue(), await page.locator('#console-choices').innerText());
    await input.fill('kubectl logs ');
    await input.press('Tab');
    log(tag, 'tab2', await input.inputValue(), await page.locator('#console-choices').innerText());
    await shot(page, `${tag}-10-tab.png`);
    await input.fill('');
    await input.press('ArrowUp');
    log(tag, 'up', await input.inputValue());
    // Space in input
    await input.fill('');
    await input.type('get pods ');
    log(tag, 'space typed', JSON.stringify(await input.inputValue()), await page.getByRole('button', { name: /Play|Pause/ }).innerText());
    // events
    if (tag === 'n') await page.getByRole('tab', { name: 'Events', exact: true }).click();
    await page.getByRole('textbox', { name: 'Filter events by object' }).fill('job/');
    await shot(page, `${tag}-11-events.png`);
    await page.getByRole('textbox', { name: 'Filter events by object' }).fill('');
    if (tag === 'd') {
      // theme
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await shot(page, `${tag}-12-dark.png`);
      await shot(page, `${tag}-12-dark-full.png`, true);
      await page.reload();
      await page.getByRole('heading', { name: 'Cluster' }).waitFor();
      await page.waitForTimeout(500);
      await shot(page, `${tag}-13-reloaded.png`);
      log(tag, 'theme after reload', await page.evaluate(() => document.documentElement.dataset.theme));
      // keyboard
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      const order = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => {
          const e = document.activeElement;
          return `${e.tagName}[${e.getAttribute('aria-label') || e.textContent.trim().slice(0, 25)}]`;
        }));
        if (i === 3 || i === 12) await shot(page, `${tag}-14-focus-${i}.png`);
      }
      log('tab order', order.join(' | '));
    }
    log(tag, 'errors', page.errors);
  }
  // lessons
  const lp = await env.open('?lesson=daemonsets', { viewport: { width: 1280, height: 800 } });
  await shot(lp, 'd-20-lesson.png');
  const lpn = await env.open('?lesson=daemonsets', { viewport: { width: 390, height: 844 } });
  await shot(lpn, 'n-20-lesson.png', true);
  // embed
  for (const q of ['?embed=1', '?embed=1&scenario=indexed-job', '?scenario=pi-job', '?scenario=nope']) {
    const p = await env.open(q, { viewport: { width: 800, height: 600 } });
    await p.waitForTimeout(800);
    await shot(p, `e-${q.replace(/[?&=]/g, '_')}.png`);
    const p2 = await env.open(q, { viewport: { width: 390, height: 600 } });
    await shot(p2, `en-${q.replace(/[?&=]/g, '_')}.png`);
  }
} finally {
  await env.close();
}
