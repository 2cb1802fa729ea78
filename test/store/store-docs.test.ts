/**
 * The store material matches the product: every permission has its justification, the listing's
 * short description is the extension's own, the icons exist at the sizes the manifest says, and the
 * manifest has no key Chrome does not know (Chrome warns about unknown keys on its extensions page).
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as {
  permissions: string[];
  host_permissions: string[];
  icons: Record<string, string>;
  action: { default_icon: Record<string, string> };
  commands: Record<string, unknown>;
} & Record<string, unknown>;
const messages = (lang: string) => JSON.parse(read(`public/_locales/${lang}/messages.json`)) as Record<string, { message: string }>;

/** Manifest keys of Chrome MV3 (developer.chrome.com/docs/extensions/reference/manifest) this project may use. */
const CHROME_MV3_KEYS = new Set([
  'manifest_version', 'name', 'short_name', 'description', 'version', 'version_name', 'default_locale', 'minimum_chrome_version',
  'incognito', 'icons', 'action', 'background', 'devtools_page', 'commands', 'permissions', 'optional_permissions', 'host_permissions',
  'optional_host_permissions', 'content_scripts', 'web_accessible_resources', 'content_security_policy', 'homepage_url', 'author', 'options_ui',
]);
/** Keys only Firefox reads; vite.config.ts leaves them out of the Chrome build. */
const FIREFOX_ONLY_KEYS = new Set(['browser_specific_settings']);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(new URL(`../../public/${file}`, import.meta.url));
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('store material', () => {
  test('every permission and host permission has a one-sentence justification and is named in PRIVACY.md', () => {
    const justifications = read('docs/store/permissions.md');
    const privacy = read('PRIVACY.md');
    for (const permission of [...manifest.permissions, ...manifest.host_permissions]) {
      const row = justifications.split('\n').find((line) => line.startsWith(`| \`${permission}\` |`));
      expect(row, `docs/store/permissions.md has no row for ${permission}`).toBeDefined();
      expect(row!.split('|')[2]!.trim().split(/\. (?=[A-Z])/)).toHaveLength(1);
      expect(privacy, `PRIVACY.md does not name ${permission}`).toContain(`\`${permission}\``);
    }
  });

  test("the listing's short description is the extension's own description, within the stores' 132 characters", () => {
    for (const [lang, file] of [['en', 'docs/store/listing-en.md'], ['ko', 'docs/store/listing-ko.md']] as const) {
      const description = messages(lang).extDescription!.message;
      expect(description.length).toBeLessThanOrEqual(132);
      expect(read(file)).toContain(`> ${description}\n`);
    }
  });

  test('the icons exist at the sizes the manifest names them', () => {
    for (const [size, file] of Object.entries({ ...manifest.icons, ...manifest.action.default_icon })) {
      expect(existsSync(new URL(`../../public/${file}`, import.meta.url)), file).toBe(true);
      expect(pngSize(file)).toEqual([Number(size), Number(size)]);
    }
    expect(manifest.icons['128']).toBeDefined();
    expect(read('assets/icon.svg')).toContain('<svg');
  });

  test('the manifest has only keys Chrome MV3 knows, plus the Firefox-only ones the Chrome build drops', () => {
    const unknown = Object.keys(manifest).filter((key) => !CHROME_MV3_KEYS.has(key) && !FIREFOX_ONLY_KEYS.has(key));
    expect(unknown).toEqual([]);
    expect(Object.keys(manifest.commands)).toEqual(['_execute_action']);
  });
});
