/**
 * The store packages and the checks on them, shared by `npm run package` (scripts/package.ts), the
 * source-archive check (scripts/verify-source.ts) and the tests (test/store/, test/e2e/store-packages).
 * Names: cors-lens-chrome-<version>.zip (Chrome Web Store and Edge Add-ons: the same MV3 package),
 * cors-lens-firefox-<version>.xpi (AMO) and cors-lens-source-<version>.zip (AMO's source upload).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
const webExt = path.join(root, 'node_modules/.bin/web-ext');

export function packageVersion(dir = root): string {
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface StorePackageNames {
  chrome: string;
  firefox: string;
  source: string;
}

export function storePackageNames(version: string): StorePackageNames {
  return { chrome: `cors-lens-chrome-${version}.zip`, firefox: `cors-lens-firefox-${version}.xpi`, source: `cors-lens-source-${version}.zip` };
}

/** Paths `git status` reports as changed or untracked (ignored files excluded): a release is built from a commit. */
export function uncommittedChanges(dir = root): string[] {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Zips dist/chrome and dist/firefox (already built) into outDir with web-ext build. */
export function writeBrowserPackages(outDir: string, version: string): Pick<StorePackageNames, 'chrome' | 'firefox'> {
  const names = storePackageNames(version);
  for (const target of ['chrome', 'firefox'] as const) {
    execFileSync(webExt, ['build', '--source-dir', path.join(root, 'dist', target), '--artifacts-dir', outDir, '--filename', names[target], '--overwrite-dest'], { cwd: root, stdio: 'pipe' });
  }
  return { chrome: path.join(outDir, names.chrome), firefox: path.join(outDir, names.firefox) };
}

/** The committed tree at `ref` as a zip: what AMO reviewers unpack and build (docs/store/building.md). */
export function writeSourceArchive(outDir: string, version: string, ref = 'HEAD'): string {
  const file = path.join(outDir, storePackageNames(version).source);
  execFileSync('git', ['archive', '--format=zip', `--output=${file}`, ref], { cwd: root });
  return file;
}

export interface LintCounts {
  errors: number;
  warnings: number;
  notices: number;
  /** "CODE: message (file)" of every error and warning, for a failure to show. */
  problems: string[];
}

interface WebExtLintMessage {
  code: string;
  message: string;
  file?: string;
}

/** AMO's linter on an unpacked Firefox build or an .xpi. */
export function lintFirefoxPackage(sourceDir: string): LintCounts {
  let output: string;
  try {
    output = execFileSync(webExt, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-input'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // web-ext lint exits 1 when it finds errors; its JSON is on stdout all the same.
    output = String((error as { stdout?: unknown }).stdout ?? '');
  }
  const report = JSON.parse(output.slice(output.indexOf('{'))) as { errors: WebExtLintMessage[]; warnings: WebExtLintMessage[]; notices: WebExtLintMessage[] };
  const describe = (entry: WebExtLintMessage) => `${entry.code}: ${entry.message}${entry.file ? ` (${entry.file})` : ''}`;
  return {
    errors: report.errors.length,
    warnings: report.warnings.length,
    notices: report.notices.length,
    problems: [...report.errors, ...report.warnings].map(describe),
  };
}

/** sha256 of every file under dir, keyed by its path relative to dir ('/'-separated). */
export function fileHashes(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else hashes.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return hashes;
}

/** Files that differ between two trees: missing on either side or with other content. */
export function differingFiles(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const names = new Set([...expected.keys(), ...actual.keys()]);
  return [...names].filter((name) => expected.get(name) !== actual.get(name)).sort();
}

/** Unpacks a zip (or .xpi) into dir with the system `unzip`. */
export function unzipTo(archive: string, dir: string): void {
  execFileSync('unzip', ['-q', '-o', archive, '-d', dir]);
}
