/**
 * `npm run demo`: the incident on the lab. Starts the lab (an S3-like bucket behind a CloudFront-like
 * edge, test/lab/) with config.json and the history reference/cdn.md §5 finds most likely, plays the
 * failing video with hls.js in Chromium with CORS Lens loaded, opens the popup, prints its diagnosis
 * (cause, evidence, fix) and saves a screenshot. With a display it opens a window and waits for
 * Ctrl-C; headless (or with --ci) it exits by itself. Every server and browser it starts is stopped.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchChromiumWithExtension, type ChromiumWithExtension } from '../test/e2e/support/chromium.ts';
import { startPageServer, type RunningServer } from '../test/e2e/support/servers.ts';
import { playScenario, startScenarioLab } from '../test/lab/browser.ts';
import type { Lab } from '../test/lab/lab.ts';
import { INCIDENT } from '../test/lab/scenarios/index.ts';

const ci = process.argv.includes('--ci') || process.env.CI === 'true';
const headed = !ci && Boolean(process.env.DISPLAY);
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

try {
  pageServer = await startPageServer();
  const context = { pageOrigin: pageServer.origin };
  lab = await startScenarioLab(INCIDENT, context);
  browser = await launchChromiumWithExtension(undefined, { headless: !headed });
  console.log(`CORS Lens demo — ${INCIDENT.title}`);
  console.log(`lab   ${lab.origin} (CloudFront-like edge, POP ${lab.edge.pops[0]}) in front of an S3-like bucket, config.json of the incident`);
  console.log(`page  ${pageServer.origin} plays ${INCIDENT.video}stream.m3u8 with hls.js\n`);
  console.log(wrap(INCIDENT.history, '      ').replace(/^ {6}/, 'story ') + '\n');

  const played = await playScenario(browser, pageServer, lab, INCIDENT, { waitForCauses: INCIDENT.expectedCauses });
  const { view } = played;
  await mkdir(outDir, { recursive: true });
  const screenshot = path.join(outDir, 'popup.png');
  await played.popup.setViewportSize({ width: 800, height: 1000 });
  await played.popup.screenshot({ path: screenshot, fullPage: true });

  console.log(`CORS Lens popup — page origin ${view.pageOrigin} · ${view.media} · ${view.failing}\n`);
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
  const missing = INCIDENT.expectedCauses.filter((cause) => !view.findings.some((finding) => finding.cause === cause));
  if (missing.length > 0) console.log(`\nNot named although the history produces it: ${missing.join(', ')}`);
  console.log(`\nThe fix of this lab run: ${INCIDENT.fix?.description ?? ''}`);
  console.log(`screenshot: ${path.relative(process.cwd(), screenshot)}`);
  if (headed) {
    console.log('The browser stays open; press Ctrl-C to stop.');
    await new Promise(() => undefined);
  }
  await stop(missing.length > 0 ? 1 : 0);
} catch (error) {
  console.error(error);
  await stop(1);
}
