// The console runs exactly Session::run: a script's output equals the native CLI's for the same
// script. History and Tab completion work from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setup, runInConsole, root } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const SCRIPT = [
  'sim node add n1 --labels disktype=ssd',
  'sim node add n2',
  'kubectl get nodes',
  'kubectl label node n2 disktype=hdd',
  'kubectl get nodes --show-labels',
  'kubectl get pods -A',
  'kubectl get jobs',
  'kubectl gett pods',
  'sim advance 10s',
  'kubectl describe node n1',
];

/** The native CLI's output for a script: `kubeplay run FILE` (built by cargo if needed). */
function cliOutput(lines) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeplay-cli-'));
  const file = path.join(dir, 'script.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const bin = path.join(target, 'debug', 'kubeplay');
  const run = existsSync(bin)
    ? () => execFileSync(bin, ['run', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : () => execFileSync('cargo', ['run', '-q', '--bin', 'kubeplay', '--', 'run', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    return run();
  } catch (e) {
    // A failing command makes kubeplay exit non-zero; its output is still the transcript.
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

/** Drops `$ command` echo lines the CLI may print between outputs. */
function withoutEchoes(text) {
  return text.split('\n').filter((l) => !l.startsWith('$ ')).join('\n').trim();
}

test('console output for a script equals the CLI output', async () => {
  const page = await env.open('?scenario=empty&play=0');
  let transcript = '';
  for (const line of SCRIPT) {
    const { stdout, stderr } = await runInConsole(page, line);
    transcript += stdout + stderr;
  }
  const cli = cliOutput(SCRIPT);
  assert.equal(withoutEchoes(transcript), withoutEchoes(cli));
});

test('history with arrow keys and Tab completion', async () => {
  const page = await env.open('?play=0');
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  await runInConsole(page, 'kubectl get nodes');
  await runInConsole(page, 'kubectl get ds -A');
  await input.focus();
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get ds -A');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get nodes');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'kubectl get ds -A');
  await input.fill('kubectl desc');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe ');
  await input.pressSequentially('no');
  await input.press('Tab');
  assert.match(await input.inputValue(), /^kubectl describe no(de|des)/);
  await input.fill('cordon n');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'cordon n');
  await page.locator('#console-choices').getByText('n1  n2  n3').waitFor();
});
