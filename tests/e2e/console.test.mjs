// The console runs exactly Session::run: a script's output equals the native CLI's for the same
// script. History and Tab completion work from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, runInConsole, cliOutput, consoleEqualsCli } from './helpers.mjs';

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
  // The console's shell and kubeconfig context behave as in the CLI.
  'nodes=$(kubectl get nodes -o name)',
  'echo $nodes',
  'kubectl get nodes | grep -c Ready',
  'kubectl run web --image=nginx',
  'sim advance 10s',
  'kubectl exec web -- cat /etc/resolv.conf',
  'kubectl config set-context --current --namespace=kube-system',
  'kubectl get pods',
];

/** Drops `$ command` echo lines the CLI may print between outputs. */
function withoutEchoes(text) {
  return text.split('\n').filter((l) => !l.startsWith('$ ')).join('\n').trim();
}

test('console output for a script equals the CLI output', async () => {
  const page = await env.open('?scenario=empty&play=0');
  const got = await consoleEqualsCli(page, SCRIPT, 'console', withoutEchoes);
  assert.match(got.stderr, /unknown command "gett"/, 'the typo reached the console');
  assert.match(got.stdout, /node\/n1 node\/n2/, 'the variable kept its value for the next line');
  assert.match(got.stderr, /No resources found in kube-system namespace/, 'the context namespace applies');
  assert.match(got.stdout, /nameserver 10\.96\.0\.10/, 'kubectl exec ran in the container');
  assert.deepEqual(page.errors, []);
});

// The help pages and explain's descriptions are not part of the first load: the page fetches
// kubectl-docs.json after its first draw (the console says "still loading" until then).
test('--help and explain, fetched after the first draw, equal the CLI output', async () => {
  const page = await env.open('?scenario=empty&play=0');
  const lines = ['kubectl get --help', 'kubectl explain ds.spec.updateStrategy', 'kubectl rollout'];
  let first;
  for (let i = 0; i < 100; i += 1) {
    first = await runInConsole(page, lines[0]);
    if (!first.stderr.includes('still loading')) break;
    await page.waitForTimeout(100);
  }
  const got = { stdout: first.stdout, stderr: first.stderr };
  for (const line of lines.slice(1)) {
    const { stdout, stderr } = await runInConsole(page, line);
    got.stdout += stdout;
    got.stderr += stderr;
  }
  const cli = cliOutput(lines);
  assert.equal(withoutEchoes(got.stdout), withoutEchoes(cli.stdout));
  assert.equal(withoutEchoes(got.stderr), withoutEchoes(cli.stderr));
  assert.match(got.stdout, /Display one or many resources/);
  assert.deepEqual(page.errors, []);
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
