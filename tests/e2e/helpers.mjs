// Shared e2e plumbing: a tiny static server over dist/ and a headless Chromium driven by
// playwright-core (from tools/node_modules; never `playwright install`).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = path.join(root, 'dist');
export const artifacts = path.join(root, 'tests/e2e/artifacts');

/**
 * Resolves an npm tool (playwright-core, axe-core): from tools/node_modules (scripts/setup.sh
 * installs it there), else through NODE_PATH.
 */
export function resolveTool(request) {
  for (const base of [path.join(root, 'tools/package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return createRequire(base).resolve(request);
    } catch {
      // try the next place
    }
  }
  throw new Error(`${request} is not installed: run scripts/setup.sh (tools/node_modules) or set NODE_PATH`);
}

const require = createRequire(import.meta.url);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export function requireDist() {
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`dist/ is missing (${dist}). Build the page first: trunk build --release`);
  }
}

/** Serves dist/ on 127.0.0.1 (a random port). */
export async function serve() {
  requireDist();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      let file = path.join(dist, decodeURIComponent(url.pathname));
      if (!file.startsWith(dist)) throw new Error('outside dist');
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium with the flags that work as root here (playwright gives it a fresh profile). */
export async function launch() {
  const { chromium } = require(resolveTool('playwright-core'));
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/** Server + browser for one test file; `open(query)` gives a page in a fresh context. */
export async function setup() {
  const server = await serve();
  const browser = await launch();
  const contexts = [];
  return {
    server,
    browser,
    async open(query = '?play=0', options = {}) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
      contexts.push(context);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.errors = errors;
      await page.goto(server.url + query);
      await page.getByRole('heading', { name: 'Cluster' }).waitFor();
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await server.close();
    },
  };
}

/** Runs a command in the console and waits for its transcript entry. */
export async function runInConsole(page, line) {
  const log = page.getByRole('log', { name: 'Console output' });
  // Entries are numbered (data-seq) across the trimming of old ones and "Clear console".
  const seq = await log.getAttribute('data-next-seq');
  const input = page.getByRole('textbox', { name: 'kubectl command' });
  await input.fill(line);
  await input.press('Enter');
  const entry = log.locator(`.entry[data-seq="${seq}"]`);
  await entry.waitFor();
  const out = await entry.locator('pre.out').allTextContents();
  const err = await entry.locator('pre.err').allTextContents();
  return { stdout: out.join(''), stderr: err.join('') };
}

/** Advances simulated time through the console (exactly as a learner would). */
export async function advance(page, duration) {
  return runInConsole(page, `sim advance ${duration}`);
}

export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** axe-core's serious and critical violations on the page (empty when it passes). */
export async function axe(page) {
  await page.addScriptTag({ path: resolveTool('axe-core/axe.min.js') });
  const res = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The native CLI's output for a script: `kubeplay run FILE` (built by cargo if needed, so never a
 * stale binary), its stdout and its stderr. The CLI buffers stdout, so the two streams are
 * compared separately rather than interleaved. A failing command makes kubeplay exit non-zero;
 * its output is still the transcript.
 */
export function cliOutput(lines) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeplay-cli-'));
  const file = path.join(dir, 'script.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  const res = spawnSync('cargo', ['run', '-q', '--bin', 'kubeplay', '--', 'run', file], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (res.status === null) throw new Error(`kubeplay did not run: ${res.error ?? res.signal}`);
  return { stdout: res.stdout, stderr: res.stderr };
}

/**
 * Runs `script` in the page's console and through the CLI, writes both streams of each under
 * artifacts/ (`NAME-page.stdout.txt`, `NAME-cli.stdout.txt`, ...), and asserts they are equal
 * once `normalize` has been applied. Returns the page's output.
 */
export async function consoleEqualsCli(page, script, name, normalize = (t) => t.trim()) {
  const got = { stdout: '', stderr: '' };
  for (const line of script) {
    const { stdout, stderr } = await runInConsole(page, line);
    got.stdout += stdout;
    got.stderr += stderr;
  }
  const cli = cliOutput(script);
  mkdirSync(artifacts, { recursive: true });
  for (const stream of ['stdout', 'stderr']) {
    writeFileSync(path.join(artifacts, `${name}-page.${stream}.txt`), got[stream]);
    writeFileSync(path.join(artifacts, `${name}-cli.${stream}.txt`), cli[stream]);
    assert.equal(normalize(got[stream]), normalize(cli[stream]), `${stream}: see artifacts/${name}-*.${stream}.txt`);
  }
  return got;
}
