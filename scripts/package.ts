/**
 * `npm run package`: builds both targets and writes store packages to dist/packages/:
 * a Chrome Web Store zip of dist/chrome and a Firefox package (zip/xpi) of dist/firefox, then lints
 * the Firefox build with web-ext (AMO's linter) and fails on any error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const out = path.join(root, 'dist/packages');
const webExt = path.join(root, 'node_modules/.bin/web-ext');
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

rmSync(out, { recursive: true, force: true });
run('npm', ['run', 'build']);
for (const target of ['chrome', 'firefox'] as const) {
  const fileName = `cors-lens-${target}-${version}.zip`;
  run(webExt, ['build', '--source-dir', `dist/${target}`, '--artifacts-dir', 'dist/packages', '--filename', fileName, '--overwrite-dest']);
  console.log(`wrote dist/packages/${fileName}`);
}
run(webExt, ['lint', '--source-dir', 'dist/firefox']);
