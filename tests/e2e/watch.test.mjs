// `kubectl get -w` in the console: its lines equal the CLI's for the same script, it streams while
// the clock plays, a status line says it is open, and Stop or Ctrl+C end it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, runInConsole, consoleEqualsCli } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const SCRIPT = [
  // The same seed in both, so the Job's pod gets the same name.
  'sim seed 7',
  'sim node add n1',
  'kubectl get pods -w',
  // Commands that change the cluster keep the watch open: their output, then what they caused.
  "kubectl create job pi --image=perl -- perl -e 'print 1'",
  // Commands that wait keep it too: what happened during the wait, then their own message.
  'kubectl wait --for=condition=complete job/pi --timeout=2m',
  'sim advance 5s',
  // A read-only command ends it.
  'kubectl get jobs',
  'kubectl get pods --output-watch-events --watch-only',
  'kubectl delete job pi',
  'sim advance 40s',
];

test('a watch in the console prints what the CLI prints for the same script', async () => {
  const page = await env.open('?scenario=empty&play=0');
  const got = await consoleEqualsCli(page, SCRIPT, 'watch');
  assert.match(got.stdout, /Completed/, 'the watch followed the pod to Completed');
  assert.match(got.stdout, /^DELETED /m, 'the events column names the deletion');
  assert.deepEqual(page.errors, []);
});

test('the watch streams while the clock plays; Stop and Ctrl+C end it', async () => {
  const page = await env.open('?scenario=empty&play=0');
  await runInConsole(page, 'sim node add n1');
  await runInConsole(page, 'kubectl get pods -w');
  const status = page.getByRole('status').filter({ hasText: 'Watching' });
  await status.getByText('Watching kubectl get pods -w — Ctrl+C or Stop to end').waitFor();
  await runInConsole(page, 'kubectl run web --image=nginx');
  const log = page.getByRole('log', { name: 'Console output' });
  const last = log.locator('.entry').last().locator('pre.out');
  await page.getByRole('button', { name: 'Play' }).click();
  // nginx is pulled (2 s) and started: the row reaches Running while time plays.
  await last.filter({ hasText: /web\s+1\/1\s+Running/ }).waitFor({ timeout: 15000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Stop watching' }).click();
  await status.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('button', { name: 'Stop watching' }).count(), 0);

  // Ctrl+C in the prompt ends a watch too.
  await runInConsole(page, 'kubectl get nodes -w');
  await page.getByRole('button', { name: 'Stop watching' }).waitFor();
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  await input.focus();
  await input.press('Control+c');
  await page.getByRole('button', { name: 'Stop watching' }).waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});
