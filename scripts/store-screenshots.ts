/**
 * `npm run store-screenshots`: the store screenshots (1280×800, the size the Chrome Web Store, AMO and
 * Edge Add-ons all take) in English and Korean, made from the lab's incident with the built extension
 * in real Chromium, into docs/store/screenshots/:
 *   <lang>-1-diagnosis.png   the popup on the incident (cause, confidence, fix, rejected requests)
 *   <lang>-2-panel.png       the DevTools panel page on the same tab, full width
 *   <lang>-3-first-use.png   the first-run page, as it opens after install
 *   toolbar-light.png, toolbar-dark.png   the toolbar button's states, as read back from the extension
 * Headless Chromium has no toolbar to photograph, so the toolbar pictures draw the shipped icon with
 * the badge text, colour and tooltip the extension set (chrome.action.get*) for real tabs: a page
 * without media, the incident, and the incident after its fix.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, tabIdOf, type ChromiumWithExtension } from '../test/e2e/support/chromium.ts';
import { startPageServer } from '../test/e2e/support/servers.ts';
import { playScenario, startScenarioLab } from '../test/lab/browser.ts';
import { INCIDENT } from '../test/lab/scenarios/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/store/screenshots');
const SIZE = { width: 1280, height: 800 };

/** Captions drawn over the screenshots (store art, not UI text: they live here, not in _locales). */
const CAPTIONS = {
  en: {
    diagnosis: 'Why the browser rejects your video — and the exact fix',
    panel: 'Every playlist and segment, with its CORS and cache headers',
  },
  ko: {
    diagnosis: '브라우저가 동영상을 거부하는 이유와 정확한 해결 방법',
    panel: '모든 플레이리스트와 세그먼트를 CORS·캐시 헤더와 함께',
  },
} as const;
type Lang = keyof typeof CAPTIONS;

interface ToolbarShot {
  label: string;
  text: string;
  color: string;
  title: string;
}

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A screenshot of a narrower view, centred on a 1280×800 canvas under a caption. */
async function framed(canvas: Page, shot: Buffer, caption: string, file: string): Promise<void> {
  await canvas.setViewportSize(SIZE);
  await canvas.setContent(`<html><body style="margin:0;width:1280px;height:800px;overflow:hidden;background:linear-gradient(160deg,#0b3d91,#1a73e8);font:600 30px system-ui,'NanumGothic',sans-serif;color:#fff;text-align:center">
    <div style="padding:26px 40px 20px">${escape(caption)}</div>
    <img src="${dataUrl(shot)}" style="max-width:1180px;max-height:680px;border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.45);object-fit:contain;object-position:top">
  </body></html>`);
  await canvas.screenshot({ path: file });
}

async function toolbarPicture(canvas: Page, shots: ToolbarShot[], scheme: 'light' | 'dark', file: string): Promise<void> {
  const icon = dataUrl(await readFile(path.join(root, 'public/icons/icon-32.png')));
  const bar = scheme === 'light' ? { bg: '#f1f3f4', fg: '#1f1f1f', line: '#dadce0' } : { bg: '#35363a', fg: '#e8eaed', line: '#5f6368' };
  const items = shots
    .map(
      (shot) => `<div style="display:flex;align-items:center;gap:14px;padding:8px 16px;border-top:1px solid ${bar.line}">
        <div style="position:relative;width:28px;height:28px;display:grid;place-items:center"><img src="${icon}" width="16" height="16">${
          shot.text ? `<span style="position:absolute;right:-6px;bottom:-3px;min-width:9px;padding:0 3px;border-radius:3px;background:${shot.color};color:#fff;font:700 9px/12px system-ui,sans-serif;text-align:center">${escape(shot.text)}</span>` : ''
        }</div>
        <div><b>${escape(shot.label)}</b><br><span style="opacity:.8">${escape(shot.title)}</span></div></div>`,
    )
    .join('');
  await canvas.emulateMedia({ colorScheme: scheme });
  // zoom 2: the 32 px icon drawn in the 16 px slot, as on a 2× display, so the picture is legible.
  await canvas.setViewportSize({ width: 1280, height: 2 * (12 + shots.length * 56) });
  await canvas.setContent(`<html><body style="margin:0;zoom:2;background:${bar.bg};color:${bar.fg};font:13px system-ui,sans-serif">${items}</body></html>`);
  await canvas.screenshot({ path: file, fullPage: true });
}

async function toolbarStateOf(browser: ChromiumWithExtension, tabId: number, label: string): Promise<ToolbarShot> {
  const state = await browser.serviceWorker.evaluate(async (id: number) => {
    const [text, color, title] = await Promise.all([chrome.action.getBadgeText({ tabId: id }), chrome.action.getBadgeBackgroundColor({ tabId: id }), chrome.action.getTitle({ tabId: id })]);
    return { text, color: `rgb(${color[0]},${color[1]},${color[2]})`, title };
  }, tabId);
  return { label, ...state };
}

async function shootLanguage(lang: Lang): Promise<void> {
  const pageServer = await startPageServer();
  const browser = await launchChromiumWithExtension(undefined, { lang });
  const context = { pageOrigin: pageServer.origin };
  const lab = await startScenarioLab(INCIDENT, context);
  try {
    // The first-run page opens by itself after install.
    const welcome = browser.context.pages().find((page) => page.url().endsWith('/welcome.html')) ?? (await browser.context.waitForEvent('page', { predicate: (page) => page.url().endsWith('/welcome.html') }));
    await welcome.setViewportSize(SIZE);
    await welcome.waitForSelector('[data-testid="shortcut"]');
    await welcome.screenshot({ path: path.join(outDir, `${lang}-3-first-use.png`) });

    const played = await playScenario(browser, pageServer, lab, INCIDENT, { waitForCauses: INCIDENT.expectedCauses });
    await played.popup.setViewportSize({ width: 800, height: 640 });
    const canvas = await browser.context.newPage();
    await framed(canvas, await played.popup.screenshot(), CAPTIONS[lang].diagnosis, path.join(outDir, `${lang}-1-diagnosis.png`));

    const tabId = await tabIdOf(browser.serviceWorker, played.pageUrl);
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1180, height: 660 });
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('[data-testid="request-row"]');
    await framed(canvas, await panel.screenshot(), CAPTIONS[lang].panel, path.join(outDir, `${lang}-2-panel.png`));

    if (lang === 'en') {
      const empty = await browser.context.newPage();
      const emptyUrl = `${pageServer.origin}/blank.html`;
      await empty.goto(emptyUrl);
      const rejected = await toolbarStateOf(browser, tabId, 'The incident: requests rejected');
      await INCIDENT.fix?.apply(lab, context, { findings: played.view.findings });
      const fixed = await playScenario(browser, pageServer, lab, INCIDENT, { pass: 'fixed' });
      const passing = await toolbarStateOf(browser, await tabIdOf(browser.serviceWorker, fixed.pageUrl), 'After the fix: nothing rejected');
      const nothing = await toolbarStateOf(browser, await tabIdOf(browser.serviceWorker, emptyUrl), 'A page without media: nothing captured');
      for (const scheme of ['light', 'dark'] as const) await toolbarPicture(canvas, [nothing, passing, rejected], scheme, path.join(outDir, `toolbar-${scheme}.png`));
      console.log(`toolbar: ${JSON.stringify([nothing, passing, rejected].map(({ text, title }) => ({ text, title })))}`);
    }
    console.log(`wrote the ${lang} screenshots`);
  } finally {
    await browser.close();
    await lab.close();
    await pageServer.close();
  }
}

await mkdir(outDir, { recursive: true });
for (const lang of ['en', 'ko'] as const) await shootLanguage(lang);
