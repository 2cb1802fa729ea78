/** One version: package.json's and the manifest's must be equal (the stores read the manifest's). */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as { version: string };

test('package.json and manifest.json have the same version, a plain x.y.z the stores accept', () => {
  const { version } = read('package.json');
  expect(read('manifest.json').version).toBe(version);
  // Chrome accepts 1-4 dot-separated integers; AMO also accepts pre-release suffixes, Chrome does not.
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
});

test('CHANGELOG.md has a section for the current version', () => {
  const { version } = read('package.json');
  const changelog = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
  expect(changelog).toMatch(new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
});
