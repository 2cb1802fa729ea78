/**
 * `npm run icons`: rasterises the one icon drawing (assets/icon.svg) to the PNG sizes the manifest
 * names (public/icons/icon-<size>.png: 16 and 32 for the toolbar, 48 for the extensions page, 128 for
 * the stores), with real Chromium so the result is what a browser draws. Run it after editing the SVG
 * and commit the PNGs.
 */
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../test/e2e/support/chromium.ts';

export const ICON_SIZES = [16, 32, 48, 128] as const;

const root = path.resolve(import.meta.dirname, '..');
const svg = readFileSync(path.join(root, 'assets/icon.svg'), 'utf8');
const outDir = path.join(root, 'public/icons');
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const size of ICON_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    writeFileSync(path.join(outDir, `icon-${size}.png`), png);
    console.log(`wrote public/icons/icon-${size}.png`);
  }
} finally {
  await browser.close();
}
