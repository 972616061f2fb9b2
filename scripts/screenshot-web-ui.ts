/**
 * Takes screenshots of the Temporal Web UI showing the demo store's workflows, for the docs:
 *   docs/web-ui-workflows.png  the workflow list filtered by ShopkitStore="demo-store"
 *   docs/web-ui-import.png     the import workflow's page (import/demo-store)
 *   docs/web-ui-progress-decoded.png  its `progress` query, decoded through the demo's codec endpoint
 *
 * Run after a change that alters what the Web UI shows (new workflows, search attributes, …):
 *   npx tsx scripts/screenshot-web-ui.ts
 *
 * It starts the demo itself (`demo --keep --json`, small sizes, fresh data dir), waits for its JSON
 * summary, drives a headless Chromium through playwright-core so it can wait for the SPA to render
 * the rows, then stops the demo with SIGINT. The browser decodes as an operator's would: it signs in at the
 * demo's codec endpoint (`/codec/login`, the token from the demo's data dir), then sets the Web UI's browser
 * codec settings to that endpoint with "Include cross-origin credentials", which the dev server's UI cannot be
 * configured with. Needs a system Chromium (`apt-get install chromium`; another binary via CHROMIUM_PATH):
 * playwright's own browser downloads are not used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const root = resolve(__dirname, '..');
const docsDir = join(root, 'docs');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const store = 'demo-store';
const viewport = { width: 1400, height: 900 };
/** Without the background-networking flags Chromium's own connections are refused here, many at a time. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: run \`apt-get update && apt-get install -y chromium\``);
  }
  mkdirSync(docsDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'web-ui-demo-'));
  const demo = startDemo(dataDir);
  try {
    const webUi = await demoWebUi(demo);
    console.log(`demo is up, Web UI at ${webUi}`);
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport });
      const endpoint = await uiCodecEndpoint(webUi);
      await signIn(page, endpoint, readFileSync(join(dataDir, 'codec-token'), 'utf8').trim());
      await useCodecWithCredentials(page, webUi, endpoint);
      const query = encodeURIComponent(`ShopkitStore="${store}"`);
      await page.goto(`${webUi}/namespaces/default/workflows?query=${query}`);
      // Each row links to /workflows/<id>/<runId>/history.
      await untilVisible(page, `a[href*="/workflows/${encodeURIComponent(`import/${store}`)}/"]`);
      await save(page, 'web-ui-workflows.png');

      await page.goto(`${webUi}/namespaces/default/workflows/${encodeURIComponent(`import/${store}`)}`);
      await untilVisible(page, 'text=/Completed|Running/');
      await save(page, 'web-ui-import.png');

      // The workflow page redirects to …/<runId>/history; the Queries tab is …/<runId>/query.
      await page.goto(page.url().replace(/\/history(\?.*)?$/, '/query'));
      // `progress` is the first query type listed; the result is decoded through the codec endpoint.
      await page.getByRole('button', { name: 'Run Query' }).click({ timeout: 30_000 });
      await page.locator('text=/"phase"/').first().waitFor({ state: 'visible', timeout: 30_000 });
      await save(page, 'web-ui-progress-decoded.png');
    } finally {
      await browser.close();
    }
  } finally {
    await stopDemo(demo);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function startDemo(dataDir: string): ChildProcess {
  const args = ['demo', '--keep', '--json', '--orders', '300', '--clients', '100', '--products', '30'];
  args.push('--shopkit-rps', '20', '--data-dir', dataDir);
  // Its own process group, so stopping it also reaches the Temporal dev server it spawned.
  const demo = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  process.once('SIGINT', () => {
    signalGroup(demo, 'SIGKILL');
    process.exit(130);
  });
  return demo;
}

/** Resolves with the Web UI address from the demo's JSON summary, printed once the import is done. */
function demoWebUi(demo: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    demo.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined || !out.includes('\n', out.indexOf(line))) return;
      const summary = JSON.parse(line) as { ok?: boolean; webUi?: string | null };
      if (summary.ok !== true) console.warn('warning: the demo summary reports mismatches');
      if (summary.webUi) done(summary.webUi);
      else fail(new Error('the demo did not start a Web UI (is port 8233 taken by a server without one?)'));
    });
    demo.once('exit', (code) => fail(new Error(`the demo exited (code ${code}) before printing its summary`)));
  });
}

/** The codec endpoint the demo pointed its dev server's Web UI at. */
async function uiCodecEndpoint(webUi: string): Promise<string> {
  const settings = (await (await fetch(`${webUi}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
  const endpoint = settings.Codec?.Endpoint;
  if (!endpoint) throw new Error('the Web UI has no codec endpoint configured');
  return endpoint;
}

/** The gateway's sign-in form: the browser keeps the session cookie for the codec endpoint. */
async function signIn(page: Page, endpoint: string, token: string): Promise<void> {
  await page.goto(`${endpoint}/login`);
  await page.getByLabel('Codec token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in until').waitFor({ timeout: 10_000 });
}

/** The Web UI's Codec Server panel: this browser's endpoint, sent with its cookies. */
async function useCodecWithCredentials(page: Page, webUi: string, endpoint: string): Promise<void> {
  await page.goto(`${webUi}/namespaces/default/workflows`);
  await page.getByTestId(/^data-encoder-status/).click();
  await page.getByTestId('override-accordion').getByRole('button').first().click();
  await page.getByTestId('use-local-endpoint-input').check();
  await page.getByTestId('data-encoder-endpoint-input').fill(endpoint);
  // The panel runs under the sticky top bar at this height: switch with the keyboard.
  const credentials = page.getByRole('switch', { name: 'Include cross-origin credentials' });
  await credentials.focus();
  await page.keyboard.press('Space');
  if (!(await credentials.isChecked())) throw new Error('"Include cross-origin credentials" did not switch on');
  await page.getByTestId('confirm-data-encoder-button').click();
}

/** The UI reads the visibility store, which can lag a little behind the workflows: reload until shown. */
async function untilVisible(page: Page, selector: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator(selector).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForLoadState('networkidle');
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`"${selector}" never appeared on ${page.url()}`, { cause: error });
      await page.reload();
    }
  }
}

async function save(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: join(docsDir, file) });
  console.log(`saved docs/${file}`);
}

/** SIGINT, as Ctrl-C would; SIGKILL after a grace period, since the demo does not always exit on it. */
async function stopDemo(demo: ChildProcess): Promise<void> {
  if (demo.exitCode !== null || demo.signalCode !== null) return;
  const exited = new Promise<void>((done) => demo.once('exit', () => done()));
  signalGroup(demo, 'SIGINT');
  const timer = setTimeout(() => signalGroup(demo, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  signalGroup(demo, 'SIGKILL'); // whatever of the group is left
}

function signalGroup(demo: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (demo.pid !== undefined) process.kill(-demo.pid, signal);
  } catch {
    // the group is already gone
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`screenshot-web-ui: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
