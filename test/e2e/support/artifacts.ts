import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('../../../test-results', import.meta.url));

/** Where tests write screenshots for people to look at (git-ignored; created on first use). */
export function artifactPath(fileName: string): string {
  mkdirSync(resultsDir, { recursive: true });
  return path.join(resultsDir, fileName);
}
