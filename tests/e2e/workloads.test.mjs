// Editor + objects: a failing Job retries with back-off and ends BackoffLimitExceeded; invalid
// YAML is marked at its line and nothing typed is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, advance } from './helpers.mjs';

/** Seconds in a kubectl age (`4m50s`, `95s`, `1h2m`). */
function seconds(age) {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(age.trim());
  assert.ok(m && age.trim(), `an age: ${age}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a Job with a failing command retries with back-off and ends BackoffLimitExceeded', async () => {
  const page = await env.open('?scenario=nodes&play=0');
  await page.getByRole('combobox', { name: 'Examples' }).selectOption('failing-job');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.locator('#editor-feedback').getByText('job.batch/always-fails created').waitFor();
  await advance(page, '5m');
  const row = page.locator('.workload').filter({ hasText: 'job.batch/always-fails' });
  // The summary's status badge: an icon (hidden from screen readers) and the word.
  await row.locator('summary .badge', { hasText: /^\W*Failed$/ }).waitFor();
  await row.locator('summary').click();
  await row.getByRole('cell', { name: 'BackoffLimitExceeded' }).first().waitFor();
  // Three pods were created (backoffLimit 2 = two retries), with growing gaps between them.
  const events = page.getByRole('region', { name: 'Event list' });
  await page.getByRole('textbox', { name: 'Filter events by object' }).fill('job/always-fails');
  const created = events.getByRole('row').filter({ hasText: 'SuccessfulCreate' });
  assert.equal(await created.count(), 3, 'one pod per attempt');
  // Back-off: each retry waits longer than the one before (10s, then 20s, plus the run time).
  const ages = (await created.locator('td:first-child').allTextContents()).map(seconds);
  const gaps = [ages[0] - ages[1], ages[1] - ages[2]];
  assert.ok(gaps[0] >= 10 && gaps[1] > gaps[0], `growing gaps between attempts: ${gaps} (ages ${ages})`);
  await events.getByRole('row').filter({ hasText: 'BackoffLimitExceeded' }).first().waitFor();
});

test('invalid YAML: error marked at its line, the text kept, across a reload', async () => {
  const page = await env.open('?play=0');
  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: broken\n   bad: [\n';
  await editor.fill(text);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const feedback = page.locator('#editor-feedback');
  await feedback.locator('.error').waitFor();
  const where = await feedback.locator('.where').textContent();
  const m = /Line (\d+)/.exec(where ?? '');
  assert.ok(m, `a line is named: ${where}`);
  assert.ok(Number(m[1]) >= 4 && Number(m[1]) <= 6, `points near the bad line: ${where}`);
  assert.equal(await editor.inputValue(), text);
  await page.reload();
  await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Manifest YAML' }).inputValue(), text);
});

test('a misspelt field: the API server error is marked at the field\'s line, and Go to line puts the caret there', async () => {
  const page = await env.open('?play=0');
  const editor = page.getByRole('textbox', { name: 'Manifest YAML' });
  const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: typo\nspec:\n  paralelism: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: a\n        image: busybox\n';
  await editor.fill(text);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const feedback = page.locator('#editor-feedback');
  await feedback.getByText('Apply failed').waitFor();
  await feedback.getByText(/unknown field "spec.paralelism"/).waitFor();
  assert.match(await feedback.locator('.where').textContent(), /^Line 6, column 3/);
  await feedback.getByRole('button', { name: 'Go to line 6' }).click();
  const caret = await editor.evaluate((t) => t.selectionStart);
  assert.equal(caret, text.indexOf('  paralelism') + 2, 'caret at the misspelt key');
  assert.equal(await editor.inputValue(), text, 'nothing typed is lost');
  // A misspelt kind: the kind line.
  await editor.fill(text.replace('kind: Job', 'kind: Jobb'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await feedback.getByText(/no matches for kind "Jobb"/).waitFor();
  assert.match(await feedback.locator('.where').textContent(), /^Line 2, column 1/);
  assert.deepEqual(page.errors, []);
});
