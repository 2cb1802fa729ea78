/**
 * `npm run bench`: every budget of docs/budgets.md measured on this machine in one run. Builds the extension,
 * runs the engine and memory figures in child processes of their own, the browser figures in real
 * Chromium, writes BENCHMARKS.md and prints a JSON object as its last line. It reports; it does not
 * pass or fail (exit 0 unless the bench itself breaks). Options: --quick (fewer runs), --no-build.
 */
import { execFile, execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildListenerVariant, PERMISSION_ONLY } from './bench/listener-variants.ts';
import { FLOOR_PAGE, floorBuildOf, measureOverhead, measurePopup, measureToolbarPopup, type OverheadResult, type PopupResult, type ToolbarPopupResult } from './bench/browser.ts';
import type { EngineResult } from './bench/engine.ts';
import type { MemoryResult } from './bench/memory.ts';
import type { ViewResult } from './bench/view.ts';
import { buildNoopExtension } from './bench/noop-extension.ts';
import { writeReport, type BenchResults } from './bench/report.ts';
import { round } from './bench/stats.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const started = Date.now();

function log(line: string): void {
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
}

/** Load average samples over the whole run (the machine is shared: the figures need this context). */
const loadSamples: number[][] = [loadavg()];
const sampler = setInterval(() => loadSamples.push(loadavg()), 5_000);

async function child<T>(script: string, nodeArgs: string[] = []): Promise<T> {
  const { stdout } = await run(process.execPath, [...nodeArgs, '--import', 'tsx', script], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

async function attempt<T>(what: string, measure: () => Promise<T>): Promise<{ value: T | null; error: string | null }> {
  try {
    return { value: await measure(), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    log(`${what} failed: ${message}`);
    return { value: null, error: message };
  }
}

async function main(): Promise<void> {
  const machine = {
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    freeGiB: round(freemem() / 1024 ** 3, 1),
    node: process.version,
    chromium: execFileSync('/usr/bin/chromium', ['--version']).toString().trim(),
    loadAtStart: loadavg(),
  };
  log(`machine: ${machine.nproc} cores, ${machine.cpu}, load ${machine.loadAtStart.map((v) => v.toFixed(2)).join(' ')}`);
  if (!process.argv.includes('--no-build')) {
    log('npm run build');
    await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  }

  log('engine: evaluateCors, analyze per record and over 100 000 records, HAR export of 50 000 (child process)');
  const engine = await attempt('engine', () => child<EngineResult>('scripts/bench/engine.ts'));
  log('memory: Recorder + TabLogStore after 100 000 requests (child process, --expose-gc)');
  const memory = await attempt('memory', () => child<MemoryResult>('scripts/bench/memory.ts', ['--expose-gc']));
  log('view: packRows of 10 000 rows; live updates of a 5 000-row view: main-thread work per update in the popup page (CDP), and the view model alone in Node (child process)');
  const view = await attempt('view', () => child<ViewResult>('scripts/bench/view.ts'));

  const corsLensDir = `${root}dist/chrome`;
  const noopDir = await buildNoopExtension(`${root}manifest.json`);
  // 20, not 12: on this shared 2-core machine the median of 12 differed by up to 0.2 between runs of one build
  // (media page 1.11–1.33 on 2026-12-04); a median of more loads moves less.
  const pairs = quick ? 10 : 20;
  // The build holding the webRequest permission with no listener: Chromium's charge for the permission alone.
  const permissionDir = await buildListenerVariant(corsLensDir, PERMISSION_ONLY);
  log(`overhead: media page and ordinary page, CORS Lens / no-op extension / the webRequest permission alone / none, ${pairs} alternating iterations`);
  const overhead = await attempt<OverheadResult>('overhead', () => measureOverhead({ 'cors-lens': corsLensDir, noop: noopDir, permission: permissionDir, none: null }, pairs, 40, log));
  await rm(permissionDir, { recursive: true, force: true });
  log('popup: first render with 10 000 records restored after a service-worker restart');
  // 9 cold opens: with 5 the cold median moved by 70 ms between runs of the same code (one slow open
  // decides it). 24 warm opens (each a fraction of a second): with 9 the warm median moved by 3–5 ms
  // between runs of one build (60 and 63 ms, 2026-12-05), as much as a change being measured.
  const popupRuns = quick ? 3 : 9;
  const warmRuns = quick ? 3 : 24;
  const popup = await attempt<PopupResult>('popup', () => measurePopup(corsLensDir, 10_000, popupRuns, warmRuns, log));
  log('popup floor: an empty page of the same build, opened the same way (what the browser takes to open an extension page here)');
  const floorDir = await floorBuildOf(corsLensDir);
  const popupFloor = await attempt<PopupResult>('popup floor', () => measurePopup(floorDir, 10_000, popupRuns, warmRuns, log, FLOOR_PAGE));
  // Context: what a click gives, the real toolbar popup beside the tab opens above (docs/budgets.md#toolbar-popup).
  const toolbarRuns = quick ? 3 : 12;
  log('toolbar popup: warm opens of the real toolbar popup (chrome.action.openPopup()) beside tab opens, the popup and the empty page; cold opens of the popup');
  const toolbarPopup = await attempt<ToolbarPopupResult>('toolbar popup', () => measureToolbarPopup(corsLensDir, 10_000, toolbarRuns, log, undefined, popupRuns));
  const toolbarPopupFloor = await attempt<ToolbarPopupResult>('toolbar popup floor', () => measureToolbarPopup(floorDir, 10_000, toolbarRuns, log, FLOOR_PAGE));
  await rm(floorDir, { recursive: true, force: true });

  await rm(noopDir, { recursive: true, force: true });
  clearInterval(sampler);
  loadSamples.push(loadavg());
  const results: BenchResults = {
    machine,
    load: { samples: loadSamples.length, oneMinute: loadSamples.map((sample) => sample[0]!) },
    durationS: (Date.now() - started) / 1000,
    engine: engine.value,
    engineError: engine.error,
    memory: memory.value,
    memoryError: memory.error,
    overhead: overhead.value,
    overheadError: overhead.error,
    popup: popup.value,
    popupError: popup.error,
    popupFloor: popupFloor.value,
    popupFloorError: popupFloor.error,
    toolbarPopup: toolbarPopup.value,
    toolbarPopupError: toolbarPopup.error,
    toolbarPopupFloor: toolbarPopupFloor.value,
    toolbarPopupFloorError: toolbarPopupFloor.error,
    view: view.value,
    viewError: view.error,
  };
  const { markdown, json } = writeReport(results);
  await writeFile(`${root}BENCHMARKS.md`, markdown);
  log(`BENCHMARKS.md written (${results.durationS.toFixed(0)} s)`);
  console.log(JSON.stringify(json));
}

await main();
