/**
 * Players in real Firefox ESR with CORS Lens (docs/lab.md#players-in-firefox,
 * docs/capture.md#firefox-evidence). Firefox gives automation no CORS verdict (no CDP, and its console's
 * CORS errors are not delivered over BiDi) and completes a blocked response like an allowed one, so
 * the ground truth is what the player itself saw: its own loaded / failed events per URL, recorded by
 * the player harness (test/e2e/support/players.ts). hls.js (HLS TS and fMP4), dash.js, Shaka Player and
 * video.js (VHS) each play a stream from a media origin on loopback, and the popup's verdict for every
 * request must equal what the player saw:
 * - clean, ACAO `*`; clean, ACAO echoing the page origin without Access-Control-Allow-Credentials
 *   (S3's ordinary answer): every request passed, decided from the page's Resource Timing, and the
 *   player loaded every file of the stream;
 * - one file served without ACAO: exactly that URL is red, MissingAllowOriginHeader from the headers;
 * - one file fetched with credentials (as each player's withCredentials / credentials option sets
 *   them: XHR.withCredentials, fetch credentials 'include') from the ACAO `*` origin: every load of it
 *   rejected as WildcardOriginNotAllowed, each on its own (the page read status 0, the extension's
 *   isolated world the status received), including video.js's single load, which no retry corroborates
 *   (measured against page cancels, scripts/measure-cancel-race.ts).
 * No row is undetermined: a load the player cancelled before any response reached the page (no CORS
 * check ran) is "Cancelled", counted with neither the rejections nor the undetermined. One browser
 * launch, the cases in sequence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { firefoxTabIdOf, launchFirefoxWithExtension, openExtensionPage, openPopupForTab, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { FAILING_FILES, PLAYERS, STREAMS, playerPageUrl, readPlayerState, reportedFiles, streamPath, type PlayerId, type PlayerState, type StreamId } from './support/players.ts';

interface PlayerCase {
  player: PlayerId;
  stream: StreamId;
  /** A file of the stream the player fetches with credentials in the credentialed case. */
  credentialedFile: string;
}

const CASES: readonly PlayerCase[] = [
  { player: 'hlsjs', stream: 'hls-ts', credentialedFile: 'segment1.ts' },
  { player: 'hlsjs', stream: 'hls-fmp4', credentialedFile: 'part1.m4s' },
  { player: 'dashjs', stream: 'dash', credentialedFile: 'chunk-0-00001.m4s' },
  { player: 'shaka', stream: 'dash', credentialedFile: 'chunk-0-00001.m4s' },
  { player: 'videojs', stream: 'hls-ts', credentialedFile: 'segment1.ts' },
];

type Variant = 'clean-star' | 'clean-echo' | 'rejected' | 'credentialed';
const VARIANTS: readonly Variant[] = ['clean-star', 'clean-echo', 'rejected', 'credentialed'];

let firefox: FirefoxWithExtension;
let pageServer: RunningServer;
let cleanStar: RunningServer;
let cleanEcho: RunningServer;
let failing: RunningServer;
const matrix: string[] = [];

beforeAll(async () => {
  pageServer = await startPageServer();
  cleanStar = await startMediaServer({ withoutAllowOrigin: new Set() });
  cleanEcho = await startMediaServer({ withoutAllowOrigin: new Set(), allowOrigin: 'echo' });
  failing = await startMediaServer({ withoutAllowOrigin: FAILING_FILES });
  firefox = await launchFirefoxWithExtension();
});

afterAll(async () => {
  if (matrix.length > 0) console.info(`[firefox players] popup vs what the player saw, per request:\n${matrix.join('\n')}`);
  await firefox?.close();
  await pageServer?.close();
  await cleanStar?.close();
  await cleanEcho?.close();
  await failing?.close();
});

/**
 * Makes the page fetch one URL with credentials, as a player's own credentials option does (hls.js
 * xhrSetup withCredentials, Shaka allowCrossSiteCredentials, dash.js and VHS withCredentials): XHR
 * withCredentials or fetch credentials 'include' for that URL only. Plain JavaScript, run before the
 * page's scripts.
 */
function credentialsFor(fileName: string): string {
  return `(() => {
    const file = ${JSON.stringify(fileName)};
    const matches = (url) => String(url).split(/[?#]/)[0].endsWith('/' + file);
    const open = XMLHttpRequest.prototype.open;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) { this.__credentialed = matches(url); return open.call(this, method, url, ...rest); };
    XMLHttpRequest.prototype.send = function (...args) { if (this.__credentialed) this.withCredentials = true; return send.apply(this, args); };
    const fetchOriginal = window.fetch;
    window.fetch = function (input, init) {
      const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
      return matches(url) ? fetchOriginal.call(this, new Request(input, { ...init, credentials: 'include' })) : fetchOriginal.call(this, input, init);
    };
  })()`;
}

const fileOf = (url: string): string => url.replace(/[?#].*$/, '').split('/').pop() ?? url;

interface Played {
  state: PlayerState;
  popup: Page;
  player: Page;
  rows: Array<{ file: string; url: string; outcome: string; inferred: string; reason: string; label: string; errorName: string }>;
  unknownNote: string;
  failingCount: string;
}

const READ_ROWS = `(() => ({
  rows: [...document.querySelectorAll('[data-testid="request-row"]')].map((row) => ({
    file: row.dataset.file ?? '',
    url: row.querySelector('td.file')?.getAttribute('title') ?? '',
    errorName: (row.querySelector('.error-name')?.textContent ?? '').trim(),
    outcome: row.dataset.outcome ?? '',
    inferred: row.dataset.inferred ?? '',
    label: (row.cells[0]?.textContent ?? '').trim(),
    reason: (row.querySelector('[data-testid="reason"]')?.textContent ?? '').trim(),
  })),
  unknownNote: (document.querySelector('[data-testid="count-unknown"]')?.textContent ?? '').trim(),
  failingCount: (document.querySelector('[data-testid="count-failing"]')?.textContent ?? '').trim(),
}))()`;

async function play(media: RunningServer, playerCase: PlayerCase, variant: Variant, folderSuffix = '', beforePopup?: (pageUrl: string) => Promise<void>): Promise<Played> {
  const folder = `${playerCase.player}-${playerCase.stream}-${variant}${folderSuffix}`;
  const src = `${media.origin}${streamPath(folder, playerCase.stream)}`;
  const before = media.requests.length;
  const player = await firefox.browser.newPage();
  if (variant === 'credentialed') await player.evaluateOnNewDocument(credentialsFor(playerCase.credentialedFile));
  const pageUrl = playerPageUrl(pageServer.origin, playerCase.player, src);
  await player.goto(pageUrl);
  // video.js (VHS) keeps retrying a failed segment and never gives up: its own failure report is the end.
  const reportedFailure = (value: PlayerState | null) => variant !== 'clean-star' && variant !== 'clean-echo' && value !== null && value.events.some((event) => event.event === 'failed');
  const state = await pollUntil(() => readPlayerState(player), (value) => value?.done === true || reportedFailure(value), 60_000);
  const requested = media.requests.slice(before).filter((request) => request.path.startsWith(`/${folder}/`)).length;
  await beforePopup?.(pageUrl);
  const popup = await openPopupForTab(firefox, pageUrl);
  // Every request the server answered (Firefox may serve a retry from its cache: at least as many rows).
  const view = await pollUntil(
    async () => (await popup.evaluate(READ_ROWS)) as Omit<Played, 'state' | 'popup' | 'player'>,
    (value) => value.rows.length >= requested && value.rows.every((row) => row.outcome !== 'unknown'),
    20_000,
  ).catch(async () => (await popup.evaluate(READ_ROWS)) as Omit<Played, 'state' | 'popup' | 'player'>);
  return { state: state!, popup, player, ...view };
}

/**
 * A request the player cancelled before any response reached the page (dash.js and Shaka abort pending
 * loads when they give up): no CORS check took place, and the row says so, "Cancelled". Either
 * webRequest saw no response (the network error NS_BINDING_ABORTED: "Cancelled"), or it saw the load
 * complete and the page's entry shows nothing received (the race of docs/capture.md#received-status,
 * which dash.js hit on its audio segment in one run: "Cancelled (inferred)").
 */
const cancelled = (row: Played['rows'][number]): boolean => row.outcome === 'not-applicable' && (row.label === 'Cancelled' || endedBeforeResponse(row));
/** The Korean label of a cancelled row ("Cancelled", and "Cancelled (inferred)" begins with it too). */
const CANCELLED_KO = '취소됨';
const endedBeforeResponse = (row: Played['rows'][number]): boolean => row.label === 'Cancelled (inferred)' && row.reason.includes('the page ended this load before the response reached it');

/**
 * What is wrong with the rows of a clean stream: the headers leave each open in Firefox, so each must
 * have passed, decided from the page's Resource Timing (a 2xx it read), and say so. A load the player
 * cancelled before any response reached the page is "Cancelled", a right verdict (no CORS check ran),
 * not a disagreement; a rejected or undetermined row always is.
 */
function cleanStreamProblems(rows: Played['rows']): string[] {
  return rows
    .filter((row) => !cancelled(row))
    .filter((row) => !(row.outcome === 'pass' && row.inferred === 'resource-timing' && row.label === 'Passed (inferred)' && row.reason.includes('Resource Timing responseStatus 2')))
    .map((row) => `${row.file}: ${row.label} (${row.outcome}) — ${row.reason}`);
}

/** Compares each row with what the player reported for its URL: loaded only → pass, failed only → fail. */
function disagreements(played: Played): string[] {
  const loaded = new Set(played.state.events.filter((event) => event.event === 'loaded').map((event) => fileOf(event.url)));
  const failed = new Set(played.state.events.filter((event) => event.event === 'failed').map((event) => fileOf(event.url)));
  const problems: string[] = [];
  for (const row of played.rows) {
    const saw = loaded.has(row.file) && !failed.has(row.file) ? 'pass' : failed.has(row.file) && !loaded.has(row.file) ? 'fail' : null;
    if (row.outcome === 'unknown') problems.push(`${row.file}: undetermined (player: ${saw ?? 'nothing'})`);
    // A cancel is no disagreement (no CORS check ran), but one inferred from the page must not hide a file the player saw fail.
    else if (cancelled(row)) {
      if (endedBeforeResponse(row) && saw === 'fail') problems.push(`${row.file}: cancelled (inferred), player: fail`);
    } else if (row.outcome === 'not-applicable') problems.push(`${row.file}: not CORS (player: ${saw ?? 'nothing'})`);
    else if (saw !== null && saw !== row.outcome) problems.push(`${row.file}: popup ${row.outcome}, player ${saw}`);
  }
  return problems;
}

describe('the clean-stream check', () => {
  const row = (label: string, outcome: string, reason: string, inferred = ''): Played['rows'][number] => ({ file: `${label}.ts`, url: '', outcome, inferred, reason, label, errorName: '' });
  const passed = row('Passed (inferred)', 'pass', 'Passed — the page read the response (Resource Timing responseStatus 200)', 'resource-timing');

  test('accepts a load the player cancelled before any response, inferred or not', () => {
    const rows = [
      passed,
      row('Cancelled', 'not-applicable', 'Cancelled — the page ended this request before its response reached it, so no CORS check ran and the browser rejected nothing.'),
      row('Cancelled (inferred)', 'not-applicable', 'Cancelled — the page ended this load before the response reached it (Resource Timing responseStatus 0): no CORS check ran, so the browser rejected nothing.', 'resource-timing'),
    ];
    expect(cleanStreamProblems(rows)).toEqual([]);
  });

  test('fails on a rejected, an undetermined, a not-CORS or an uninferred passed row', () => {
    const rows = [
      passed,
      row('Rejected (inferred)', 'fail', 'Rejected — Resource Timing responseStatus 0 for the page, 200 received', 'resource-timing'),
      row('Undetermined', 'unknown', 'Undetermined'),
      row('Not CORS', 'not-applicable', 'Not a CORS request'),
      row('Passed', 'pass', 'Passed'),
    ];
    expect(cleanStreamProblems(rows).map((problem) => problem.split(':')[0])).toEqual(['Rejected (inferred).ts', 'Undetermined.ts', 'Not CORS.ts', 'Passed.ts']);
  });
});

describe('Firefox: players, the popup agrees with what each player saw, nothing undetermined that evidence decides', () => {
  for (const playerCase of CASES) {
    const stream = STREAMS[playerCase.stream];
    for (const variant of VARIANTS) {
      test(`${PLAYERS[playerCase.player].label}, ${stream.about}: ${variant}`, async () => {
        const media = variant === 'clean-star' || variant === 'credentialed' ? cleanStar : variant === 'clean-echo' ? cleanEcho : failing;
        const played = await play(media, playerCase, variant);
        const byOutcome = (outcome: string) => played.rows.filter((row) => row.outcome === outcome);
        const inferred = played.rows.filter((row) => row.inferred !== '').length;
        const aborted = played.rows.filter(cancelled).length;
        const reported = reportedFiles(played.state);
        matrix.push(
          `${PLAYERS[playerCase.player].label} ${stream.id} ${variant}: ${played.rows.length} rows, pass ${byOutcome('pass').length}, fail ${byOutcome('fail').length}, undetermined ${byOutcome('unknown').length}, cancelled before a response ${aborted}, inferred ${inferred}; player fatal ${played.state.fatal ?? 'none'}, failed ${[...reported.failed].join(' ') || 'none'}`,
        );
        await played.popup.screenshot({ path: artifactPath(`firefox-players-${playerCase.player}-${stream.id}-${variant}.png`), fullPage: true });
        expect(disagreements(played)).toEqual([]);
        expect(byOutcome('unknown')).toEqual([]);
        expect(played.unknownNote).toBe('');
        expect(played.rows.length).toBeGreaterThan(0);
        if (variant === 'clean-star' || variant === 'clean-echo') {
          expect(played.state, JSON.stringify(played.state.events)).toMatchObject({ ended: true, fatal: null });
          expect(reported.loaded).toEqual(new Set(stream.files));
          expect(played.state.events.filter((event) => event.event === 'failed')).toEqual([]);
          expect(played.rows.length).toBeGreaterThanOrEqual(stream.files.length);
          expect(byOutcome('fail')).toEqual([]);
          expect(cleanStreamProblems(played.rows)).toEqual([]);
          expect(played.failingCount).toBe('0 rejected by CORS');
        } else if (variant === 'rejected') {
          const failingUrl = new URL(stream.failingFile, `${media.origin}${streamPath(`${playerCase.player}-${playerCase.stream}-${variant}`, playerCase.stream)}`).href;
          expect(reported.failed).toContain(stream.failingFile);
          expect(new Set(byOutcome('fail').map((row) => row.url))).toEqual(new Set([failingUrl]));
          for (const row of byOutcome('fail')) {
            expect(row.errorName).toBe('MissingAllowOriginHeader');
            expect(row.reason).toContain('no Access-Control-Allow-Origin header');
          }
        } else {
          expect(reported.failed).toContain(playerCase.credentialedFile);
          const credentialed = played.rows.filter((row) => row.file === playerCase.credentialedFile);
          expect(credentialed.length).toBeGreaterThan(0);
          // The rule under test: each load the page could not read, whose response reached the page, is a rejection on its own.
          for (const row of credentialed) {
            expect(row.outcome).toBe('fail');
            expect(row.label).toBe('Rejected (inferred)');
            expect(row.errorName).toBe('WildcardOriginNotAllowed');
            expect(row.reason).toContain('Resource Timing responseStatus 0 for the page, 200 received');
          }
          expect(byOutcome('fail').filter((row) => row.file !== playerCase.credentialedFile)).toEqual([]);
        }
        await played.popup.close();
        await played.player.close();
      });
    }
  }
});

/** The toolbar badge's text and tooltip for the tab showing `pageUrl`, read from an extension page that asks the background for no view. */
async function badgeOf(pageUrl: string): Promise<{ text: string; title: string }> {
  const page = await firefox.browser.newPage();
  try {
    await openExtensionPage(page, `${firefox.extensionBase}/src/ui/welcome/welcome.html`);
    const tabId = await firefoxTabIdOf(page, pageUrl);
    return (await page.evaluate(
      `(async () => ({ text: await browser.action.getBadgeText({ tabId: ${tabId} }), title: await browser.action.getTitle({ tabId: ${tabId} }) }))()`,
    )) as { text: string; title: string };
  } finally {
    await page.close();
  }
}

/** Waits until the popup shows its diagnosis (not "Loading…"), so a screenshot shows what a person reads. */
const diagnosisShown = (popup: Page) => pollUntil(() => popup.evaluate(`document.querySelector('[data-testid="findings"]') !== null`) as Promise<boolean>, (shown) => shown, 20_000);

describe('Firefox: a healthy stream, as a person sees it (en, ko)', () => {
  test('hls.js, ACAO echo without credentials: badge ✓ before any view opened, every row passed (inferred), nothing undetermined; screenshots for the README', async () => {
    const healthy: PlayerCase = { player: 'hlsjs', stream: 'hls-ts', credentialedFile: '' };
    let badgeBefore: { text: string; title: string } | undefined;
    const played = await play(cleanEcho, healthy, 'clean-echo', '-en', async (pageUrl) => {
      // No view has read the page yet: every row is undetermined from its headers, only for its unseen credentials mode.
      badgeBefore = await pollUntil(() => badgeOf(pageUrl), (badge) => badge.text !== '', 10_000);
    });
    expect(badgeBefore).toMatchObject({ text: '✓' });
    expect(badgeBefore!.title).toMatch(/none rejected by CORS; \d+ pass unless sent with credentials/);
    expect(played.rows.length).toBeGreaterThan(0);
    expect(cleanStreamProblems(played.rows)).toEqual([]);
    await diagnosisShown(played.popup);
    await played.popup.screenshot({ path: artifactPath('popup-firefox-healthy-en.png'), fullPage: true });
    await played.popup.close();
    await played.player.close();

    // The same in Korean: Firefox takes its UI language (and the extension's) from its language pack.
    const korean = await launchFirefoxWithExtension(undefined, { extraPrefs: { 'intl.locale.requested': 'ko', 'extensions.autoDisableScopes': 0 } });
    const previous = firefox;
    firefox = korean;
    try {
      const inKorean = await play(cleanEcho, healthy, 'clean-echo', '-ko');
      expect(inKorean.rows.length).toBeGreaterThan(0);
      // Read in Korean: a row the player cancelled says 취소됨 (a right verdict); every other one passed, inferred.
      const passedRows = inKorean.rows.filter((row) => row.outcome !== 'not-applicable');
      expect(passedRows.every((row) => row.outcome === 'pass' && row.inferred === 'resource-timing' && row.label === '정상(추론)')).toBe(true);
      expect(inKorean.rows.filter((row) => row.outcome === 'not-applicable').every((row) => row.label.startsWith(CANCELLED_KO))).toBe(true);
      await diagnosisShown(inKorean.popup);
      await inKorean.popup.screenshot({ path: artifactPath('popup-firefox-healthy-ko.png'), fullPage: true });
    } finally {
      firefox = previous;
      await korean.close();
    }
  });
});
