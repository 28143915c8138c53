// Measures the first-load size of dist/ (html + js + wasm + css, gzip -9) and fails above the
// budget from issue 5 (450 KB). Prints one line per file and the total.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
// Issue 5 asks for 450 KB; the page is not there yet (see README, Budgets). This ceiling is a
// ratchet against regressions until it is: lower it as the page shrinks. (Raised from 910 to 940 KB
// for kubectl's real --help pages and explain descriptions, +26 KB: text a learner reads; then to
// 990 KB for the upstream validation table, service-account admission, image default commands and
// the store indices, +37 KB, which CI measured at 970 KB after the 940 KB ceiling had been set;
// then to 1005 KB for kubectl run/expose/create namespace, --dry-run and -o on the creating
// commands, get all, the generic and EndpointSlice describers and the incremental event cache,
// +25 KB at 995 KB; then to 1075 KB for the bounded Python subset the kubernetes.io Job examples
// run, Go templates (-o go-template), container files and volumes, bash arrays, ping and pod DNS,
// the logs options and the engine's lookup indices, +65 KB at 1066 KB; lowered when the help and
// explain texts left the first load and kubectl's sorts shared one instantiation (-28 KB, at
// 1038.5 KB; kubectl-docs.json, fetched after the first draw, is not counted); then raised to
// 1080 KB for the probes, kubectl exec/config/cluster-info/api-versions, the console's shell and
// text filters, the kubelet-managed container files and three lessons, +39 KB at 1077 KB, with the node cards' Why? panel;
// then to 1090 KB for client-go's event correlator, upstream's taint-eviction controller, PodGC's
// terminated/out-of-service collection, the printers and describers audited against kubectl 1.34,
// the removed-apiVersion notes and the first-visit guidance, +16 KB, less 10 KB saved by routing the
// engine's and the UI's sorts through one instantiation, at ≈ 1085 KB; then to 1120 KB for
// upstream's API defaulting (SetDefaults_Pod apart from templates, volume sources, quantities),
// node conditions with their taints, kubectl's three-way apply and strategic merge patch, node
// port allocation, kubectl create service, pod observedGeneration, containers that see the
// cluster change while they run (memoized network answers, replayed) and the page's walkthrough
// fixes, +27 KB less 1.2 KB from Trunk's CSS/JS minification, at 1112.7 KB; then to 1130 KB for
// the scheduler's events.k8s.io/v1 recorder (series), Go-field-order JSON for --dry-run=client
// generators, kubectl run --expose and version, explain's enums, the controllers' client rate
// limits, node forms that keep rejected input, the welcome's try-a-command button and the page's
// slow-tick guard, +14 KB at 1126.7 KB; then to 1145 KB for kubectl get -w/events -w streaming
// in the console, explain --recursive, the store's slot table (hashbrown's HashTable and the
// ordered maps of keys to slots that made the DaemonSet idle sync ≈ 40 % faster) and the
// walkthrough's keyboard-safe menus, lesson endings and blocked-storage guard, +14.7 KB at 1141.4 KB, 1142.5 KB with the pane tablist.)
const TARGET = 450 * 1024;
const BUDGET = 1145 * 1024;
let total = 0;
for (const name of readdirSync(dir).sort()) {
  if (!/\.(html|js|wasm|css)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${name.padEnd(48)} ${String(raw.length).padStart(9)} B  ${String(gz).padStart(8)} B gzip`);
}
console.log(`total first load: ${(total / 1024).toFixed(1)} KB gzip (ceiling ${BUDGET / 1024} KB, target ${TARGET / 1024} KB)`);
if (total > BUDGET) {
  console.error(`size budget exceeded: ${total} > ${BUDGET} bytes`);
  process.exit(1);
}
