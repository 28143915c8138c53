// A reload keeps the cluster (replayed from the saved command log), the editor text and the
// console history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, runInConsole, advance } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a reload keeps everything', async () => {
  const page = await env.open('?play=0');
  await runInConsole(page, 'sim node add n9 --labels zone=b');
  await advance(page, '20s');
  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  await editor.fill('# my notes\nkind: Job\n');
  const clock = await page.getByRole('timer', { name: 'Simulated clock' }).textContent();
  const pods = await runInConsole(page, 'kubectl get pods -A');

  await page.reload();
  await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  await page.getByRole('listitem', { name: 'Node n9' }).waitFor();
  assert.equal(await page.getByRole('timer', { name: 'Simulated clock' }).textContent(), clock);
  assert.equal(await page.getByRole('textbox', { name: 'Manifest YAML' }).inputValue(), '# my notes\nkind: Job\n');
  const again = await runInConsole(page, 'kubectl get pods -A');
  assert.equal(again.stdout, pods.stdout, 'same pods, same names, same ages');
  // History survived the reload. Like a shell with ignoredups, running the last command again
  // adds no entry, so ↑ walks back through the commands typed before the reload.
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  const history = [];
  for (let i = 0; i < 3; i++) {
    await input.press('ArrowUp');
    history.push(await input.inputValue());
  }
  assert.deepEqual(history, ['kubectl get pods -A', 'sim advance 20s', 'sim node add n9 --labels zone=b']);
  assert.deepEqual(page.errors, []);
});

test('reset asks first, then restores the default scenario and keeps the editor', async () => {
  const page = await env.open('?play=0');
  await runInConsole(page, 'sim node add n7');
  await page.getByRole('textbox', { name: 'Manifest YAML' }).fill('kept: true\n');
  await page.getByRole('button', { name: 'Reset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset the cluster?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('listitem', { name: 'Node n7' }).waitFor();
  await page.getByRole('button', { name: 'Reset…' }).click();
  await dialog.getByRole('button', { name: 'Reset cluster' }).click();
  await page.getByRole('listitem', { name: 'Node n7' }).waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('textbox', { name: 'Manifest YAML' }).inputValue(), 'kept: true\n');
});

test('a browser that denies storage (site data blocked): the page runs, says nothing is saved', async () => {
  // Reading window.localStorage throws there; gloo's LocalStorage panicked and the page stayed blank.
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
    });
  });
  try {
    for (const query of ['?embed=1&play=0', '?lesson=jobs&play=0']) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(env.server.url + query);
      await page.getByRole('heading', { name: 'Cluster' }).waitFor();
      await page.getByRole('status').filter({ hasText: /nothing is saved: a reload starts over/ }).waitFor();
      const r = await runInConsole(page, 'sim node add n9');
      assert.equal(r.stdout, 'node/n9 created\n');
      if (!query.includes('embed')) await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      assert.deepEqual(errors, [], query);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test('Import inside a lesson leaves the lesson for the imported cluster, and a reload keeps it', async () => {
  const page = await env.open('?lesson=jobs&play=0');
  await page.getByRole('heading', { name: /^Step 1 of/ }).waitFor();
  const file = 'kind: KubeplayScenario\nseed: 3\nscript:\n- command: sim node add imported-node\neditor: "# imported\\n"\n';
  await page.getByLabel('Import scenario file').setInputFiles({ name: 'scenario.yaml', mimeType: 'application/yaml', buffer: Buffer.from(file) });
  await page.waitForURL((url) => !url.search.includes('lesson='));
  await page.getByRole('listitem', { name: 'Node imported-node' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Manifest YAML' }).inputValue(), '# imported\n');
  assert.equal(await page.getByRole('heading', { name: /^Step 1 of/ }).count(), 0, 'no lesson any more');
  await page.reload();
  await page.getByRole('listitem', { name: 'Node imported-node' }).waitFor();
  assert.deepEqual(page.errors, []);
});
