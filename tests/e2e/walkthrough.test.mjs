// A new learner's walkthrough, desktop (1280×800) and phone (390×844): what they see must fit the
// screen, say what happened in words, stay scrolled to the newest line, and keep Space for
// whatever has focus. Screenshots of each step go to artifacts/walkthrough/ (look at them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setup, runInConsole, advance, artifacts } from './helpers.mjs';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let env;
before(async () => {
  env = await setup();
  await mkdir(path.join(artifacts, 'walkthrough'), { recursive: true });
});
after(async () => { await env?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, 'walkthrough', name), fullPage: true });

/** Elements wider than the window (the page must never scroll sideways). */
async function overflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const wide = [];
    if (document.documentElement.scrollWidth > w) wide.push(`document ${document.documentElement.scrollWidth} > ${w}`);
    return wide;
  });
}

/** Whether `inner`'s box lies inside `outer`'s visible box (±1 px). */
async function inside(inner, outer) {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  assert.ok(a && b, 'both are drawn');
  return a.y >= b.y - 1 && a.y + a.height <= b.y + b.height + 1 && a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1;
}

/** The narrow layout's pane switch. */
const tab = (page, name) => page.getByRole('tablist', { name: 'Panes' }).getByRole('tab', { name, exact: true }).click();

test('phone: no pane makes the page scroll sideways', async () => {
  const page = await env.open('?play=0', PHONE);
  assert.deepEqual(await overflow(page), [], 'header with the lesson menu');
  // The five pane buttons share one row (Events once wrapped onto a line of its own).
  const tops = await page.getByRole('tablist', { name: 'Panes' }).getByRole('tab')
    .evaluateAll((bs) => bs.map((b) => Math.round(b.getBoundingClientRect().top)));
  assert.equal(tops.length, 5);
  assert.equal(new Set(tops).size, 1, `pane buttons on one row: ${tops}`);
  await shot(page, 'phone-cluster.png');
  await tab(page, 'Editor');
  await page.getByRole('combobox', { name: 'Examples' }).selectOption('pod-failure-policy-job');
  assert.deepEqual(await overflow(page), [], 'editor with the longest example title');
  await tab(page, 'Console');
  await advance(page, '30s');
  await tab(page, 'Objects');
  for (const s of await page.locator('.workload summary').all()) await s.click();
  assert.deepEqual(await overflow(page), [], 'objects, every row open');
  // Each row's status (an icon and a word) is on screen, not pushed past the edge.
  const badge = page.locator('.workload summary .badge').first();
  assert.ok(await inside(badge, page.locator('.pane-objects')), 'the status badge is inside the pane');
  await shot(page, 'phone-objects.png');
  await tab(page, 'Events');
  assert.deepEqual(await overflow(page), [], 'events');
  assert.deepEqual(page.errors, []);
});

test('phone: the panes are tabs, reached by Tab and switched with the arrow keys', async () => {
  const page = await env.open('?play=0', PHONE);
  const tabs = page.getByRole('tablist', { name: 'Panes' });
  const selected = tabs.getByRole('tab', { selected: true });
  assert.equal(await selected.textContent(), 'Cluster');
  // Only the selected tab is in the Tab order (roving tabindex).
  assert.deepEqual(await tabs.getByRole('tab').evaluateAll((ts) => ts.map((t) => t.tabIndex)), [0, -1, -1, -1, -1]);
  await selected.focus();
  await page.keyboard.press('ArrowRight');
  await tabs.getByRole('tab', { name: 'Editor', selected: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Editor');
  await page.getByRole('textbox', { name: 'Manifest YAML' }).waitFor({ state: 'visible' });
  await page.keyboard.press('End');
  await tabs.getByRole('tab', { name: 'Events', selected: true }).waitFor();
  await page.keyboard.press('ArrowRight');
  await tabs.getByRole('tab', { name: 'Cluster', selected: true }).waitFor();
  assert.equal(await tabs.getByRole('tab', { name: 'Console' }).getAttribute('aria-controls'), 'pane-console');
  assert.deepEqual(page.errors, []);
});

test('320 px wide (a 1280 px screen at 400 % zoom): the pane buttons show their whole words', async () => {
  const page = await env.open('?play=0', { viewport: { width: 320, height: 640 } });
  assert.deepEqual(await overflow(page), []);
  const buttons = page.getByRole('tablist', { name: 'Panes' }).getByRole('tab');
  assert.equal(await buttons.count(), 5);
  // An ellipsis ("Clust…") cut them at 320 px: the text must fit its button.
  const cut = await buttons.evaluateAll((bs) => bs.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent));
  assert.deepEqual(cut, [], 'pane buttons whose word is cut');
  for (const name of ['Editor', 'Objects', 'Console', 'Events']) {
    await tab(page, name);
    assert.deepEqual(await overflow(page), [], name);
  }
  assert.deepEqual(page.errors, []);
});

test('phone: the Console tab shows the command line without scrolling', async () => {
  const page = await env.open('?play=0', PHONE);
  await tab(page, 'Console');
  const box = await page.getByRole('textbox', { name: 'kubectl command' }).boundingBox();
  assert.ok(box && box.y + box.height <= 844, `command line at y=${box?.y}, under the 844 px screen`);
  assert.deepEqual(page.errors, []);
});

test('keyboard: "Skip to the console" puts focus on the command line, also on a phone (another pane there)', async () => {
  for (const options of [DESKTOP, PHONE]) {
    const page = await env.open('?play=0', options);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the console' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), await skip.textContent());
    await page.keyboard.press('Enter');
    // On a phone the link once left focus on <body> (the Console pane was hidden).
    await page.waitForFunction(() => document.activeElement?.id === 'console-input');
    assert.ok(await page.getByRole('textbox', { name: 'kubectl command' }).isVisible());
    await page.keyboard.type('get nodes');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Console output' }).getByText('$ get nodes').waitFor();
    assert.deepEqual(page.errors, []);
  }
});

test("phone: a pod's name describes it and shows the Console, where the output is", async () => {
  const page = await env.open('?play=0', PHONE);
  await tab(page, 'Console');
  await advance(page, '20s');
  await tab(page, 'Cluster');
  const button = page.getByRole('list', { name: 'Pods on n1' }).getByRole('button', { name: /^Describe pod / }).first();
  const name = (await button.textContent()).trim();
  await button.click();
  await page.getByRole('tab', { name: 'Console', selected: true }).waitFor();
  await page.getByRole('log', { name: 'Console output' }).getByText(new RegExp(`kubectl describe pod ${name} -n `)).waitFor();
  assert.deepEqual(page.errors, []);
});

test("laptop: a pod's name describes it and scrolls the console, under the fold, into view", async () => {
  const page = await env.open('?play=0', DESKTOP);
  await advance(page, '20s');
  await page.evaluate(() => window.scrollTo(0, 0));
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  // At 1280×800 the console starts under the fold: the output of a click went out of sight.
  const inView = () => input.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.equal(await inView(), false, 'the console line starts under the fold');
  const button = page.getByRole('list', { name: 'Pods on n1' }).getByRole('button', { name: /^Describe pod / }).first();
  const name = (await button.textContent()).trim();
  await button.click();
  await page.getByRole('log', { name: 'Console output' }).getByText(new RegExp(`kubectl describe pod ${name} -n `)).waitFor();
  await page.waitForFunction(() => {
    const r = document.getElementById('console-input').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.equal(await inView(), true);
  assert.deepEqual(page.errors, []);
});

test('the play button draws its icon (no font glyph) and says Play or Pause', async () => {
  const page = await env.open('?play=0', DESKTOP);
  const play = page.getByRole('button', { name: 'Play', exact: true });
  assert.equal((await play.textContent()).trim(), 'Play');
  await play.click();
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  assert.equal((await pause.textContent()).trim(), 'Pause');
  await pause.click();
});

test('Apply says Applied or Apply failed in words; an error at line 10+ keeps the gutter aligned', async () => {
  const page = await env.open('?scenario=nodes&play=0', DESKTOP);
  const feedback = page.locator('#editor-feedback');
  await page.getByRole('combobox', { name: 'Examples' }).selectOption('indexed-job');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await feedback.getByText(/^\W*Applied$/).waitFor();
  await feedback.getByText('job.batch/indexed-job created').waitFor();
  await shot(page, 'desktop-applied.png');

  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  const text = await editor.inputValue();
  await editor.fill(text.replace('    spec:\n', '    spec:\n     bad: x\n'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await feedback.getByText(/^\W*Apply failed$/).waitFor();
  const where = await feedback.locator('.where').textContent();
  const line = Number(/Line (\d+)/.exec(where)?.[1]);
  assert.ok(line >= 10, `an error past line 9: ${where}`);
  // The marked line number sits on the same row as the marked code line.
  const mark = await page.locator('.gutter .err').boundingBox();
  const code = await page.locator('.code .line.err').boundingBox();
  const middle = (box) => box.y + box.height / 2;
  assert.ok(Math.abs(middle(mark) - middle(code)) <= 2, `gutter ${JSON.stringify(mark)} vs code ${JSON.stringify(code)}`);
  assert.equal(await page.locator('.gutter > span').count(), text.split('\n').length + 1, 'one number per line');
  await shot(page, 'desktop-apply-failed.png');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await feedback.getByText(/^\W*Delete failed$/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('keyboard: arrow keys walk through the Examples; on the Lesson menu they browse and Enter opens', async () => {
  const page = await env.open('?play=0', DESKTOP);
  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  await editor.fill('# my own manifest\n');
  const examples = page.getByRole('combobox', { name: 'Examples' });
  await examples.focus();
  // Each ArrowDown loads the next example. The menu once went back to its placeholder after
  // every load, so ArrowDown always loaded the first one and the others were out of reach.
  await page.keyboard.press('ArrowDown');
  assert.match(await editor.inputValue(), /name: fluentd-elasticsearch/);
  await page.keyboard.press('ArrowDown');
  assert.match(await editor.inputValue(), /name: ssd-monitor/);
  await page.keyboard.press('ArrowDown');
  assert.match(await editor.inputValue(), /name: pi\n/);
  assert.equal(await examples.inputValue(), 'pi-job');
  // Leaving the menu puts it back on "Load an example…"; the learner's own text is the one to restore.
  await page.keyboard.press('Tab');
  assert.equal(await examples.inputValue(), '');
  await page.getByRole('button', { name: 'Restore previous text' }).click();
  assert.equal(await editor.inputValue(), '# my own manifest\n');
  // A mouse pick loads at once, and the menu is ready to load the same example again.
  await examples.selectOption('indexed-job');
  assert.match(await editor.inputValue(), /completionMode: Indexed/);
  assert.equal(await examples.inputValue(), '');

  // Opening a lesson loads another page: no arrow key may do that.
  const lessons = page.getByRole('combobox', { name: 'Lesson' });
  await lessons.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  assert.doesNotMatch(page.url(), /lesson=/, 'a key on the menu does not leave the page');
  assert.equal(await lessons.inputValue(), 'ds-update');
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: /^Lesson: Updating a DaemonSet/ }).waitFor();
  assert.match(page.url(), /\?lesson=ds-update$/);
  // A pick with the mouse opens at once.
  await page.getByRole('combobox', { name: 'Lesson' }).selectOption('jobs');
  await page.getByRole('region', { name: /^Lesson: Jobs/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('picking the same example again loads it again (the edits can be restored)', async () => {
  const page = await env.open('?scenario=nodes&play=0', DESKTOP);
  const examples = page.getByRole('combobox', { name: 'Examples' });
  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  await examples.selectOption('pi-job');
  const pi = await editor.inputValue();
  assert.match(pi, /name: pi/);
  await editor.fill(pi.replace('backoffLimit: 4', 'backoffLimit: 1'));
  await examples.selectOption('pi-job');
  assert.equal(await editor.inputValue(), pi);
  await page.getByRole('button', { name: 'Restore previous text' }).click();
  assert.match(await editor.inputValue(), /backoffLimit: 1/);
});

test('the event list and the console stay on their newest line, also after a pane switch', async () => {
  const desktop = await env.open('?play=0', DESKTOP);
  await desktop.getByRole('button', { name: 'Add node' }).click();
  const form = desktop.getByRole('form', { name: 'Add node' });
  await form.getByRole('textbox', { name: 'Name' }).fill('n4');
  await form.getByRole('textbox', { name: 'Labels' }).fill('disktype=ssd');
  await form.getByRole('button', { name: 'Create node' }).click();
  await advance(desktop, '20s');
  const list = desktop.getByRole('region', { name: 'Event list' });
  await list.getByRole('row').filter({ hasText: 'Successfully assigned kube-system/fluentd-elasticsearch-' })
    .filter({ hasText: ' to n4' }).waitFor({ state: 'attached' });
  const newest = list.getByRole('row').last();
  assert.ok(await inside(newest, list), 'the newest event is in view');
  // Every event keeps its table row and cells (read as a table, drawn on two lines).
  assert.equal(await newest.getByRole('cell').count(), 5);
  await shot(desktop, 'desktop-events.png');

  const phone = await env.open('?play=0', PHONE);
  await tab(phone, 'Console');
  for (let i = 0; i < 12; i++) await runInConsole(phone, 'kubectl get nodes');
  await tab(phone, 'Cluster');
  await phone.getByRole('button', { name: 'Cordon n2' }).click();
  await tab(phone, 'Console');
  const log = phone.getByRole('log', { name: 'Console output' });
  const last = log.locator('.entry').last();
  assert.match(await last.textContent(), /kubectl cordon n2/);
  assert.ok(await inside(last, log), 'the command a button ran is in view');
  await tab(phone, 'Events');
  const events = phone.getByRole('region', { name: 'Event list' });
  assert.ok(await inside(events.getByRole('row').last(), events), 'the newest event is in view');
  await shot(phone, 'phone-events.png');
  assert.deepEqual(phone.errors, []);
});

test('Space plays on the page, but types in inputs and scrolls a focused list', async () => {
  const page = await env.open('?play=0', DESKTOP);
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  await input.focus();
  await page.keyboard.type('get pods ');
  assert.equal(await input.inputValue(), 'get pods ');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.getByRole('region', { name: 'Event list' }).focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.getByRole('log', { name: 'Console output' }).focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  // A click on plain text focuses <main tabindex="-1">: Space still plays there.
  await page.getByRole('heading', { name: 'Cluster', exact: true }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
});

test('a mistyped ?scenario= or ?lesson= link says so instead of showing something else', async () => {
  const page = await env.open('?scenario=pi-jbo&play=0', DESKTOP);
  await page.getByRole('status').filter({ hasText: 'There is no scenario "pi-jbo"' }).waitFor();
  const lesson = await env.open('?lesson=nope&play=0', DESKTOP);
  await lesson.getByRole('status').filter({ hasText: 'There is no lesson "nope"' }).waitFor();
  // A known one shows no such message.
  const known = await env.open('?scenario=pi-job&embed=1&play=0', { viewport: { width: 800, height: 600 } });
  await known.getByRole('listitem', { name: 'Node n1' }).waitFor();
  assert.equal(await known.getByRole('status').count(), 0);
  // Embedded, the heading is hidden from view but not from screen readers.
  assert.equal(await known.getByRole('heading', { level: 1, name: 'kubeplay' }).count(), 1);
  await shot(known, 'embed-pi-job.png');
});

test('a button command that fails says why in the status line (the console is another pane on a phone)', async () => {
  const page = await env.open('?play=0', PHONE);
  await page.getByRole('button', { name: 'Add taint to n1' }).click();
  await page.getByRole('textbox', { name: 'New taint for n1' }).fill('gpu=true:Sometimes');
  await page.getByRole('button', { name: 'Add taint', exact: true }).click();
  const status = page.getByRole('status').filter({ hasText: /^kubectl taint node n1 gpu=true:Sometimes: .*Sometimes/ });
  await status.waitFor();
  await shot(page, 'phone-failed-button.png');
  await status.getByRole('button', { name: 'Dismiss message' }).click();
  await status.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('a first visit says what the page is and where to start; a return visit does not', async () => {
  const page = await env.open('?play=0', DESKTOP);
  const welcome = page.getByRole('status').filter({ hasText: /^New here\? This is a simulated Kubernetes cluster/ });
  await welcome.waitFor();
  assert.match(await welcome.textContent(), /pick a lesson in the Lesson menu/);
  // One obvious first step: a link to the first lesson.
  assert.equal(await welcome.getByRole('link', { name: 'Start the first lesson' }).getAttribute('href'), '?lesson=daemonsets');
  assert.deepEqual(await overflow(page), []);
  await shot(page, 'desktop-welcome.png');
  // The console is under the fold: "Try kubectl get pods -A" puts the command on its line.
  await welcome.getByRole('button', { name: 'Try kubectl get pods -A' }).click();
  const line = page.getByRole('textbox', { name: 'kubectl command' });
  await page.waitForFunction(() => document.activeElement?.id === 'console-input');
  assert.equal(await line.inputValue(), 'kubectl get pods -A');
  await page.keyboard.press('Enter');
  await page.getByRole('log', { name: 'Console output' }).getByText('kube-system').first().waitFor();
  // Dismissing it leaves focus on the page's content, not nowhere.
  await welcome.getByRole('button', { name: 'Dismiss message' }).focus();
  await page.keyboard.press('Enter');
  await welcome.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
  await page.reload();
  await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  // (The console's watch line is an empty live region until a watch runs.)
  assert.equal(await page.getByRole('status').filter({ hasText: /\S/ }).count(), 0, 'the cluster was saved: not a first visit');
  // A link to a scenario or a lesson, or an embed, is not a first visit to explain.
  for (const query of ['?scenario=pi-job&play=0', '?lesson=jobs&play=0', '?embed=1&play=0']) {
    const linked = await env.open(query, DESKTOP);
    assert.equal(await linked.getByRole('status').filter({ hasText: 'New here?' }).count(), 0, query);
  }
  const phone = await env.open('?play=0', PHONE);
  await phone.getByRole('status').filter({ hasText: 'New here?' }).waitFor();
  assert.deepEqual(await overflow(phone), []);
  await shot(phone, 'phone-welcome.png');
  // On a phone the console is another pane: the button shows it.
  await phone.getByRole('button', { name: 'Try kubectl get pods -A' }).click();
  await phone.waitForFunction(() => document.activeElement?.id === 'console-input');
  assert.equal(await phone.getByRole('textbox', { name: 'kubectl command' }).inputValue(), 'kubectl get pods -A');
});

test('an events filter that matches nothing says so, rather than "No events yet"', async () => {
  const page = await env.open('?play=0', DESKTOP);
  await advance(page, '5s');
  const list = page.getByRole('region', { name: 'Event list' });
  await page.getByRole('textbox', { name: 'Filter events by object' }).fill('Warning');
  await list.getByText('No events about an object matching "Warning".', { exact: false }).waitFor();
  assert.equal(await list.getByText('No events yet.').count(), 0);
  await page.getByRole('textbox', { name: 'Filter events by object' }).fill('');
  assert.ok((await list.getByRole('row').count()) > 1);
});
