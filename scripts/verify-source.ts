/**
 * `npm run package:verify` (after `npm run package`): does what an AMO reviewer does with the source
 * archive — unpacks it into an empty temporary folder, follows docs/store/building.md
 * (`npm ci`, `npm run build:firefox`) — and compares every file of that build with the .xpi, by
 * sha256. Exits 1 on any difference; the temporary folder is removed either way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { differingFiles, fileHashes, packageVersion, root, storePackageNames, unzipTo } from './store/packages.ts';

const names = storePackageNames(packageVersion());
const packages = path.join(root, 'dist/packages');
for (const name of [names.source, names.firefox]) {
  if (!existsSync(path.join(packages, name))) throw new Error(`dist/packages/${name} is missing: run npm run package first`);
}

const work = mkdtempSync(path.join(tmpdir(), 'cors-lens-source-'));
try {
  const source = path.join(work, 'source');
  const shipped = path.join(work, 'xpi');
  unzipTo(path.join(packages, names.source), source);
  unzipTo(path.join(packages, names.firefox), shipped);
  // Exactly the commands of docs/store/building.md, in a folder that never saw this checkout.
  const started = Date.now();
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: source, stdio: 'inherit' });
  execFileSync('npm', ['run', 'build:firefox'], { cwd: source, stdio: 'inherit' });
  const rebuilt = fileHashes(path.join(source, 'dist/firefox'));
  const expected = fileHashes(shipped);
  const differing = differingFiles(expected, rebuilt);
  console.log(`rebuilt from ${names.source} in ${Math.round((Date.now() - started) / 1000)} s: ${rebuilt.size} files, ${expected.size} in ${names.firefox}, ${differing.length} differ`);
  if (differing.length > 0) {
    console.error(`differing files:\n${differing.join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
