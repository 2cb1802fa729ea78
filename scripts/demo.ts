/**
 * `npm run demo`: CORS Lens on the lab. By default the incident: the lab (an S3-like bucket behind a
 * CloudFront-like edge, test/lab/) with config.json and the history docs/cdn-behaviour.md#incident finds most
 * likely. `-- --scenario <id>` plays another lab scenario, or every scenario of a group:
 * `--scenario no-cors-config` plays the origins that send no CORS at all (the bucket alone, the bucket
 * behind the edge, a real nginx). Each is played with hls.js in Chromium with CORS Lens loaded; the
 * popup's answer (conclusion and merged fix plan) and then its diagnosis (cause, evidence, fix) are printed and saved as a screenshot, then the scenario's
 * fix is applied (for origin-without-cors, the very configuration the popup printed) and the stream
 * played again. `--lang ko` runs Chromium (and so the popup) in Korean. With a display it opens a
 * window and waits for Ctrl-C; headless (or with --ci) it exits by itself. Every server and browser
 * it starts is stopped.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchChromiumWithExtension, type ChromiumWithExtension } from '../test/e2e/support/chromium.ts';
import type { PopupView } from '../test/e2e/support/popup.ts';
import { startPageServer, type RunningServer } from '../test/e2e/support/servers.ts';
import { playScenario, startScenarioLab } from '../test/lab/browser.ts';
import type { Lab } from '../test/lab/lab.ts';
import { INCIDENT, scenariosNamed, type LabScenario } from '../test/lab/scenarios/index.ts';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const ci = process.argv.includes('--ci') || process.env.CI === 'true';
const headed = !ci && Boolean(process.env.DISPLAY);
const lang = option('lang');
const outDir = path.resolve('demo-output');

let pageServer: RunningServer | undefined;
let lab: Lab | undefined;
let browser: ChromiumWithExtension | undefined;
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await browser?.close().catch(() => undefined);
    await lab?.close();
    await pageServer?.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const wrap = (text: string, indent: string) => text.split('\n').map((line) => `${indent}${line}`).join('\n');

function describeFront(current: Lab): string {
  if (current.front === 'nginx') return `${current.origin} (a real nginx serving the stream as static files)`;
  if (current.front === 'bucket') return `${current.origin} (the S3-like bucket itself, no CDN in front)`;
  return `${current.origin} (CloudFront-like edge, POP ${current.edge.pops[0]}) in front of an S3-like bucket`;
}

/** The answer first, as the popup leads with it: the conclusion, the other causes, then the merged plan. */
function printAnswer(view: PopupView): void {
  const { answer } = view;
  if (answer === null) return;
  console.log(`Answer: ${answer.conclusion}`);
  if (answer.others) console.log(`        ${answer.others}`);
  if (answer.steps.length === 0) return;
  console.log('\nFix plan (merged from every card; #n = the cards it addresses):');
  let kind = '';
  answer.steps.forEach((step, index) => {
    if (step.kind !== kind) console.log(`  ${(kind = step.kind)}:`);
    console.log(wrap(`${index + 1}. ${step.text} ${step.for}`, '    '));
  });
}

function printView(view: PopupView): void {
  console.log(`CORS Lens popup — page origin ${view.pageOrigin} · ${view.media} · ${view.failing}\n`);
  printAnswer(view);
  console.log('');
  for (const row of view.rows) {
    const [verdict, file, kind, status, allowOrigin, cache] = row.cells;
    console.log(`  ${(verdict ?? '').padEnd(9)} ${(file ?? '').padEnd(13)} ${(kind ?? '').padEnd(9)} ${(status ?? '').padEnd(4)} ACAO ${(allowOrigin ?? '').padEnd(5)} ${cache ?? ''}`);
  }
  console.log(`\nDiagnosis (${view.findings.length} card${view.findings.length === 1 ? '' : 's'}):`);
  for (const finding of view.findings) {
    console.log(`\n● ${finding.cause} — ${finding.severity}, ${finding.confidence} (rule ${finding.rule})`);
    console.log(wrap(finding.message || finding.text, '  '));
    if (finding.evidence.length > 0) {
      console.log('  Evidence:');
      for (const line of finding.evidence.slice(0, 6)) console.log(`    ${line}`);
      if (finding.evidence.length > 6) console.log(`    … ${finding.evidence.length - 6} more in the popup`);
    }
    if (finding.fix) console.log(`  Fix:\n${wrap(finding.fix, '    ')}`);
  }
}

/** Plays one scenario, applies its fix and plays again; true when every expected cause was named and nothing fails after the fix. */
async function demo(scenario: LabScenario, context: { pageOrigin: string }, player: ChromiumWithExtension, pages: RunningServer): Promise<boolean> {
  lab = await startScenarioLab(scenario, context);
  console.log(`\n━━ ${scenario.id} — ${scenario.title}`);
  console.log(`lab   ${describeFront(lab)}`);
  console.log(`page  ${pages.origin} plays ${scenario.video}stream.m3u8 with ${scenario.player}\n`);
  console.log(wrap(scenario.history, '      ').replace(/^ {6}/, 'story ') + '\n');

  const played = await playScenario(player, pages, lab, scenario, { waitForCauses: scenario.expectedCauses });
  const shot = (suffix: string) => path.join(outDir, `${scenario === INCIDENT ? 'popup' : scenario.id}${suffix}.png`);
  await played.popup.setViewportSize({ width: 800, height: 600 });
  await played.popup.screenshot({ path: shot(''), fullPage: true });
  // What a person sees on opening the popup (Chrome's popups are at most 800×600): the answer first.
  await played.popup.screenshot({ path: shot('-first-screen') });
  printView(played.view);
  const missing = scenario.expectedCauses.filter((cause) => !played.view.findings.some((finding) => finding.cause === cause));
  if (missing.length > 0) console.log(`\nNot named although the history produces it: ${missing.join(', ')}`);
  console.log(`screenshots: ${path.relative(process.cwd(), shot(''))} (whole popup), ${path.relative(process.cwd(), shot('-first-screen'))} (its first 800×600 screen)`);

  let fixedOk = true;
  if (scenario.fix) {
    console.log(`\nThe fix: ${scenario.fix.description}`);
    await scenario.fix.apply(lab, context, { findings: played.view.findings });
    const after = await playScenario(player, pages, lab, scenario, { pass: 'fixed' });
    await after.popup.setViewportSize({ width: 800, height: 600 });
    await after.popup.screenshot({ path: shot('-fixed'), fullPage: true });
    const failing = after.view.rows.filter((row) => row.outcome === 'fail').map((row) => row.file);
    const flagged = after.view.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.cause);
    fixedOk = failing.length === 0 && flagged.length === 0;
    console.log(`Played again: ${after.view.failing}; ${failing.length === 0 ? 'no request rejected' : `still rejected: ${failing.join(', ')}`}; ${flagged.length === 0 ? 'no error card' : `error cards: ${flagged.join(', ')}`}.`);
    console.log(`screenshot: ${path.relative(process.cwd(), shot('-fixed'))}`);
  }
  if (!headed) {
    await lab.close();
    lab = undefined;
  }
  return missing.length === 0 && fixedOk;
}

try {
  const scenarios = scenariosNamed(option('scenario') ?? INCIDENT.id);
  pageServer = await startPageServer();
  const context = { pageOrigin: pageServer.origin };
  browser = await launchChromiumWithExtension(undefined, { headless: !headed, ...(lang ? { lang } : {}) });
  await mkdir(outDir, { recursive: true });
  console.log(`CORS Lens demo — ${scenarios.map((scenario) => scenario.id).join(', ')}`);
  let ok = true;
  for (const scenario of scenarios) {
    if (lab) await lab.close(); // headed: the previous scenario's lab stayed up for its window until now
    lab = undefined;
    ok = (await demo(scenario, context, browser, pageServer)) && ok;
  }
  if (headed) {
    console.log('\nThe browser stays open; press Ctrl-C to stop.');
    await new Promise(() => undefined);
  }
  await stop(ok ? 0 : 1);
} catch (error) {
  console.error(error);
  await stop(1);
}
