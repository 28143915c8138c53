// Lessons in the page: ?lesson=ID shows the steps, "Check my work" says why a step is not done,
// the solution can be run, a typed command completes a step by itself, progress survives a
// reload, and leaving the lesson returns to the learner's own cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, runInConsole, axe, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a lesson: check, run the solution, type the next step, reload, leave', async () => {
  const page = await env.open('?lesson=daemonsets&play=0');
  const lesson = page.getByRole('region', { name: /^Lesson: DaemonSets/ });
  await lesson.getByRole('heading', { name: /step 1 of \d+$/ }).waitFor();
  // The lesson's setup built its cluster: three nodes.
  await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  assert.match(await page.locator('.pane-cluster').textContent(), /3 nodes/);

  await lesson.getByRole('button', { name: 'Check my work' }).click();
  await lesson.getByText('Not done yet.').waitFor();
  // It says what the step wants, not only what the check's query printed (a NotFound here).
  await lesson.getByText('The step wants: a number of at least 3').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Steps' }).locator('[aria-current="step"]').count(), 1);

  await lesson.getByText('Solution', { exact: true }).click();
  await lesson.getByRole('button', { name: 'Run the solution' }).click();
  await lesson.getByRole('heading', { name: /step 2 of \d+$/ }).waitFor();
  await page.getByRole('status').filter({ hasText: /^Step done: Run a daemon on every node/ }).waitFor();

  // Step 2 by typing, as the hint says: the lesson follows the cluster by itself.
  await runInConsole(page, 'sim node add node-4');
  await runInConsole(page, 'sim advance 10s');
  await lesson.getByRole('heading', { name: /step 3 of \d+$/ }).waitFor();
  assert.deepEqual(await axe(page), [], 'lesson page');
  await screenshot(page, 'lesson.png');

  await page.reload();
  await page.getByRole('region', { name: /^Lesson: DaemonSets/ })
    .getByRole('heading', { name: /step 3 of \d+$/ }).waitFor();
  assert.match(await page.locator('.pane-cluster').textContent(), /4 nodes/);

  await page.getByRole('link', { name: /Leave the lesson/ }).click();
  await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  assert.equal(await page.getByRole('region', { name: /^Lesson:/ }).count(), 0);
  // The toolbar lists the lessons.
  const menu = page.getByRole('combobox', { name: 'Lesson' });
  assert.ok((await menu.locator('option').count()) >= 3, 'free play and the built-in lessons');
  assert.deepEqual(page.errors, []);
});

test('keyboard: after "Run the solution" focus is on the next step; hints can be prose with code', async () => {
  const page = await env.open('?lesson=daemonsets&play=0');
  const lesson = page.getByRole('region', { name: /^Lesson: DaemonSets/ });
  // The first step's hint says where to write a manifest in the page, with the commands as code.
  await lesson.getByText('Hint', { exact: true }).click();
  const hint = lesson.locator('.lesson-hint p');
  assert.match(await hint.textContent(), /in the Editor/);
  const codes = await hint.locator('code').allTextContents();
  assert.ok(codes.includes('kubectl apply -f -'), codes.join(' | '));
  // The example it suggests lives in kube-system; the lesson's checks look in default.
  assert.ok(codes.includes('namespace: kube-system'), codes.join(' | '));
  await lesson.getByText('Solution', { exact: true }).click();
  await lesson.getByRole('button', { name: 'Run the solution' }).focus();
  await page.keyboard.press('Enter');
  const next = lesson.getByRole('heading', { name: /^Step 2 of 4/ });
  await next.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), await next.textContent());
  // Typing in the console while a step completes keeps focus in the console.
  await runInConsole(page, 'sim node add node-4');
  await runInConsole(page, 'sim advance 10s');
  await lesson.getByRole('heading', { name: /^Step 3 of 4/ }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input');
  assert.deepEqual(page.errors, []);
});

test('"Start the lesson again…" asks in a dialog (Escape cancels), then goes back to step 1', async () => {
  const page = await env.open('?lesson=daemonsets&play=0');
  const lesson = page.getByRole('region', { name: /^Lesson: DaemonSets/ });
  await lesson.getByText('Solution', { exact: true }).click();
  await lesson.getByRole('button', { name: 'Run the solution' }).click();
  await lesson.getByRole('heading', { name: /^Step 2 of 4/ }).waitFor();
  await lesson.getByRole('button', { name: 'Start the lesson again…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start the lesson again?' });
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await lesson.getByRole('heading', { name: /^Step 2 of 4/ }).waitFor();
  await lesson.getByRole('button', { name: 'Start the lesson again…' }).click();
  await dialog.getByRole('button', { name: 'Start again' }).click();
  await lesson.getByRole('heading', { name: /^Step 1 of 4/ }).waitFor();
  assert.match(await page.locator('.pane-cluster').textContent(), /0 pods/);
  assert.deepEqual(page.errors, []);
});

test('the last lesson ends saying so and where to go; embedded, the lesson links keep embed=1', async () => {
  const page = await env.open('?lesson=jobs&play=0&embed=1');
  const lesson = page.getByRole('region', { name: /^Lesson: Jobs/ });
  // An iframe's lesson: leaving it keeps the compact layout (no toolbar inside the frame).
  assert.equal(await lesson.getByRole('link', { name: /Leave the lesson/ }).getAttribute('href'), '?embed=1');
  for (let step = 1; step <= 5; step++) {
    await lesson.getByRole('heading', { name: new RegExp(`^Step ${step} of 5`) }).waitFor();
    await lesson.getByText('Solution', { exact: true }).click();
    await lesson.getByRole('button', { name: 'Run the solution' }).click();
  }
  await lesson.getByRole('heading', { name: /— complete$/ }).waitFor();
  // No "Next lesson" after the last one: it says it was the last, and offers the way on.
  assert.equal(await lesson.getByRole('link', { name: /^Next lesson/ }).count(), 0);
  await lesson.getByText('That was the last lesson.').waitFor();
  assert.equal(await lesson.getByRole('link', { name: 'Go back to your own cluster' }).getAttribute('href'), '?embed=1');
  assert.equal(await lesson.getByRole('link', { name: 'start again with the first lesson' }).getAttribute('href'),
    '?lesson=daemonsets&embed=1');
  assert.deepEqual(await axe(page), [], 'a finished lesson');
  assert.deepEqual(page.errors, []);
});

test('a finished lesson links to the next one', async () => {
  const page = await env.open('?lesson=daemonsets&play=0');
  const lesson = page.getByRole('region', { name: /^Lesson: DaemonSets/ });
  for (let step = 1; step <= 4; step++) {
    await lesson.getByRole('heading', { name: new RegExp(`^Step ${step} of 4`) }).waitFor();
    await lesson.getByText('Solution', { exact: true }).click();
    await lesson.getByRole('button', { name: 'Run the solution' }).click();
  }
  const next = lesson.getByRole('link', { name: /^Next lesson: Updating a DaemonSet/ });
  assert.equal(await next.getAttribute('href'), '?lesson=ds-update');
  await next.click();
  await page.getByRole('region', { name: /^Lesson: Updating a DaemonSet/ })
    .getByRole('heading', { name: /^Step 1 of 6/ }).waitFor();
  assert.deepEqual(page.errors, []);
});
