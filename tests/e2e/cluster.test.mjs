// The cluster view: adding a labeled node gives the DaemonSet a pod there; removing it takes the
// pod away. Everything through the page's buttons, found by role and accessible name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, advance, runInConsole } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('default scenario draws three nodes, n1 labeled disktype=ssd', async () => {
  const page = await env.open('?play=0');
  const nodes = page.getByRole('list', { name: 'Nodes' });
  for (const n of ['n1', 'n2', 'n3']) {
    await nodes.getByRole('listitem', { name: `Node ${n}` }).waitFor();
  }
  await page.getByRole('group', { name: 'Labels of n1' }).getByText('disktype=ssd').waitFor();
  assert.deepEqual(page.errors, []);
});

test('add a labeled node: the DaemonSet gets a pod there; remove it: the pod goes', async () => {
  const page = await env.open('?play=0');
  await page.getByRole('button', { name: 'Add node' }).click();
  const form = page.getByRole('form', { name: 'Add node' });
  // The open form sits under the pane's heading, across the pane (not a tall box beside it).
  const heading = await page.getByRole('heading', { name: 'Cluster' }).boundingBox();
  const formBox = await form.boundingBox();
  const pane = await page.locator('.pane-cluster').boundingBox();
  assert.ok(formBox.y >= heading.y + heading.height, `form ${JSON.stringify(formBox)} under heading ${JSON.stringify(heading)}`);
  assert.ok(formBox.width >= pane.width * 0.9, `form ${formBox.width} px of a ${pane.width} px pane`);
  await form.getByRole('textbox', { name: 'Name' }).fill('n4');
  await form.getByRole('textbox', { name: 'Labels' }).fill('a=b');
  await form.getByRole('button', { name: 'Create node' }).click();
  const card = page.getByRole('listitem', { name: 'Node n4' });
  await card.waitFor();
  await page.getByRole('group', { name: 'Labels of n4' }).getByText('a=b').waitFor();
  // The console shows the command the button ran.
  await page.getByRole('log', { name: 'Console output' }).getByText('sim node add n4 --labels a=b').waitFor();

  await advance(page, '30s');
  const pods = page.getByRole('list', { name: 'Pods on n4' });
  const chip = pods.getByRole('listitem').filter({ hasText: 'fluentd-elasticsearch' });
  await chip.waitFor();
  const podName = (await chip.locator('.pod-name').textContent()).trim();
  assert.match(podName, /^fluentd-elasticsearch-/);
  // The pod's name is a button: it runs kubectl describe pod in the console.
  await chip.getByRole('button', { name: `Describe pod ${podName}` }).click();
  const log = page.getByRole('log', { name: 'Console output' });
  await log.getByText(`kubectl describe pod ${podName} -n kube-system`).waitFor();
  await log.getByText(/Controlled By:\s+DaemonSet\/fluentd-elasticsearch/).last().waitFor();

  await page.getByRole('button', { name: 'Remove node n4' }).click();
  await card.waitFor({ state: 'detached' });
  // Until PodGC's 40 s quarantine ends the pod is still bound to the deleted node: it is shown
  // under that node's name, not as an unscheduled pod.
  const gone = page.getByRole('region', { name: 'Node n4 (deleted)' });
  await gone.getByRole('list', { name: 'Pods on deleted node n4' }).getByText(podName).waitFor();
  await page.getByRole('heading', { name: 'Unscheduled pods (0)' }).waitFor();
  await advance(page, '2m');
  await gone.waitFor({ state: 'detached' });
  const { stdout, stderr } = await runInConsole(page, 'kubectl get pods -n kube-system -o wide');
  assert.ok(!stdout.includes(podName), `${podName} should be gone:\n${stdout}${stderr}`);
  assert.deepEqual(page.errors, []);
});

test('label chip removal runs kubectl label node n1 disktype-', async () => {
  const page = await env.open('?play=0');
  await page.getByRole('button', { name: 'Remove label disktype=ssd from n1' }).click();
  await page.getByRole('log', { name: 'Console output' }).getByText('kubectl label node n1 disktype-').waitFor();
  await page.getByRole('group', { name: 'Labels of n1' }).getByText('disktype=ssd').waitFor({ state: 'detached' });
});

test('a node card says why each DaemonSet runs there or not ("Why?")', async () => {
  const page = await env.open('?play=0');
  await runInConsole(page, 'kubectl taint nodes n2 dedicated=db:NoExecute');
  const card = page.getByRole('listitem', { name: 'Node n2' });
  await card.getByText('Why? DaemonSets on n2').click();
  const rows = card.getByRole('list', { name: 'DaemonSet decisions for n2' });
  await rows.getByText(/kube-system\/fluentd-elasticsearch: not here — untolerated taint dedicated=db:NoExecute/).waitFor();
  const n1 = page.getByRole('listitem', { name: 'Node n1' });
  await n1.getByText('Why? DaemonSets on n1').click();
  await n1.getByRole('list', { name: 'DaemonSet decisions for n1' })
    .getByText(/fluentd-elasticsearch: runs here/).waitFor();
  assert.deepEqual(page.errors, []);
});

/** The accessible name of the focused element. */
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? e.getAttribute('aria-label') || e.textContent.trim() : null;
});

test('keyboard: focus stays on a control after a node card action removes the one it was on', async () => {
  const page = await env.open('?scenario=nodes&play=0');
  // The Add node form: Escape closes it, and focus goes back to its button (so does Create).
  const add = page.getByRole('button', { name: 'Add node' });
  await add.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.getByRole('form', { name: 'Add node' }).waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'Add node');
  await page.keyboard.press('Enter');
  await page.keyboard.type('k9');
  await page.keyboard.press('Enter');
  await page.getByRole('listitem', { name: 'Node k9' }).waitFor();
  assert.equal(await focused(page), 'Add node');
  // + label: after adding, and after removing the chip, focus is on "+ label" again.
  await page.getByRole('button', { name: 'Add label to n2' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('tier=web');
  await page.keyboard.press('Enter');
  const chip = page.getByRole('button', { name: 'Remove label tier=web from n2' });
  await chip.waitFor();
  assert.equal(await focused(page), 'Add label to n2');
  await chip.focus();
  await page.keyboard.press('Enter');
  await chip.waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'Add label to n2');
  // The same for taints.
  await page.getByRole('button', { name: 'Add taint to n2' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('gpu=true:NoSchedule');
  await page.keyboard.press('Enter');
  const taint = page.getByRole('button', { name: 'Remove taint gpu=true:NoSchedule from n2' });
  await taint.waitFor();
  assert.equal(await focused(page), 'Add taint to n2');
  await taint.focus();
  await page.keyboard.press('Enter');
  await taint.waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'Add taint to n2');
  // Removing a node takes its card away: focus goes to Add node.
  await page.getByRole('button', { name: 'Remove node k9' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('listitem', { name: 'Node k9' }).waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'Add node');
  assert.deepEqual(page.errors, []);
});

test('a node taken down: its card says NotReady (as kubectl get nodes), and its pods say "not ready" once the node lifecycle marks them', async () => {
  const page = await env.open('?play=0');
  await advance(page, '10s');
  const pods = page.getByRole('list', { name: 'Pods on n2' });
  const chip = pods.getByRole('listitem').filter({ hasText: 'fluentd-elasticsearch' });
  assert.equal(await chip.getByText('not ready').count(), 0, 'ready while n2 is up');
  await page.getByRole('button', { name: 'Take down n2' }).click();
  await advance(page, '1m');
  const card = page.getByRole('listitem', { name: 'Node n2' });
  await card.getByText('kubelet stopped').waitFor();
  await card.locator('.node-head').getByText('NotReady').waitFor();
  await chip.getByText('not ready').waitFor();
  // kubectl's STATUS column still says Running (MarkPodsNotReady changes only the Ready condition).
  await chip.getByText('Running').waitFor();
  assert.deepEqual(page.errors, []);
});

test('a node form the API server rejects stays open with what was typed and says why', async () => {
  const page = await env.open('?play=0');
  await page.getByRole('button', { name: 'Add node' }).click();
  const form = page.getByRole('form', { name: 'Add node' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Bad_Name');
  await form.getByRole('textbox', { name: 'Labels' }).fill('disktype=ssd');
  await form.getByRole('button', { name: 'Create node' }).click();
  await form.getByRole('alert').filter({ hasText: /Invalid value: "Bad_Name"/ }).waitFor();
  assert.equal(await form.getByRole('textbox', { name: 'Labels' }).inputValue(), 'disktype=ssd');
  // Fixed, it goes through and the form closes.
  await form.getByRole('textbox', { name: 'Name' }).fill('good-name');
  await form.getByRole('button', { name: 'Create node' }).click();
  await page.getByRole('listitem', { name: 'Node good-name' }).waitFor();
  await form.waitFor({ state: 'detached' });
  // + label: a label value kubectl rejects stays in the input.
  await page.getByRole('button', { name: 'Add label to n2' }).click();
  const input = page.getByRole('textbox', { name: 'New label for n2' });
  await input.fill('tier=-web-');
  await input.press('Enter');
  await page.getByRole('alert').filter({ hasText: /Invalid value/ }).waitFor();
  assert.equal(await input.inputValue(), 'tier=-web-');
  // The status line says it too (the console may be another pane).
  await page.getByRole('status').filter({ hasText: /^kubectl label node n2 .*Invalid value/ }).waitFor();
  await input.fill('tier=web');
  await input.press('Enter');
  await page.getByRole('button', { name: 'Remove label tier=web from n2' }).waitFor();
  assert.deepEqual(page.errors, []);
});
