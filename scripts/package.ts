/**
 * `npm run package`: from a clean commit, builds both targets and writes to dist/packages/
 * - cors-lens-chrome-<version>.zip — Chrome Web Store and Edge Add-ons (the same MV3 package),
 * - cors-lens-firefox-<version>.xpi — Firefox Add-ons (AMO),
 * - cors-lens-source-<version>.zip — the source AMO reviewers rebuild (docs/store/building.md),
 * then lints the Firefox build with web-ext (AMO's linter) and fails on any error or warning.
 * `npm run package:verify` rebuilds the Firefox package from the source archive and compares.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lintFirefoxPackage, packageVersion, root, uncommittedChanges, writeBrowserPackages, writeSourceArchive } from './store/packages.ts';

const dirty = uncommittedChanges();
if (dirty.length > 0) {
  console.error(`npm run package: the working tree has uncommitted changes, so the packages would not match any commit:\n${dirty.join('\n')}\nCommit or stash them first.`);
  process.exit(1);
}

const version = packageVersion();
const out = path.join(root, 'dist/packages');
rmSync(out, { recursive: true, force: true });
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });
const written = [...Object.values(writeBrowserPackages(out, version)), writeSourceArchive(out, version)];
for (const file of written) console.log(`wrote ${path.relative(root, file)}`);

const lint = lintFirefoxPackage(path.join(root, 'dist/firefox'));
console.log(`web-ext lint: ${lint.errors} errors, ${lint.warnings} warnings, ${lint.notices} notices`);
if (lint.errors + lint.warnings > 0) {
  console.error(lint.problems.join('\n'));
  process.exit(1);
}
