/** `npm run package` builds only from a commit: uncommittedChanges() is what it refuses on. */
import { afterAll, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { storePackageNames, uncommittedChanges } from '../../scripts/store/packages.ts';

const repo = mkdtempSync(path.join(tmpdir(), 'cors-lens-guard-'));
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: repo, encoding: 'utf8' });
afterAll(() => rmSync(repo, { recursive: true, force: true }));

test('a clean tree passes; an edit, an untracked file or a staged change does not; an ignored file does', () => {
  git('init', '-q');
  writeFileSync(path.join(repo, '.gitignore'), 'dist/\n');
  writeFileSync(path.join(repo, 'manifest.json'), '{}\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  expect(uncommittedChanges(repo)).toEqual([]);

  mkdirSync(path.join(repo, 'dist'));
  writeFileSync(path.join(repo, 'dist/built.js'), 'x');
  expect(uncommittedChanges(repo)).toEqual([]);

  writeFileSync(path.join(repo, 'manifest.json'), '{"version":"9"}\n');
  expect(uncommittedChanges(repo)).toEqual([' M manifest.json']);
  git('add', 'manifest.json');
  expect(uncommittedChanges(repo)).toEqual(['M  manifest.json']);
  git('commit', '-q', '-m', 'edit');
  writeFileSync(path.join(repo, 'notes.txt'), 'x');
  expect(uncommittedChanges(repo)).toEqual(['?? notes.txt']);
});

test('package names carry the version and say which store they are for', () => {
  expect(storePackageNames('1.2.3')).toEqual({ chrome: 'cors-lens-chrome-1.2.3.zip', firefox: 'cors-lens-firefox-1.2.3.xpi', source: 'cors-lens-source-1.2.3.zip' });
});
