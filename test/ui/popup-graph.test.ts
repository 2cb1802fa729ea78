import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The popup's first frame loads only the modules its entry imports statically, and the bundler puts a
 * module the worker also needs into a chunk both load. The analysis and the rules (analyze.ts and what it
 * imports) are the worker's: were the popup to import them, its first frame would compile and evaluate
 * them (docs/architecture.md#popup-first-frame). This walks the entry's static imports in the source.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The relative modules `file` imports statically (`import … from`, `export … from`, bare `import '…'`), type-only imports left out. */
function staticImportsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    if (match[2] === undefined) found.push(resolve(dirname(file), match[3]!));
  }
  return found;
}

function staticGraphOf(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !/\.tsx?$/.test(file)) continue;
    seen.add(file);
    pending.push(...staticImportsOf(file));
  }
  return new Set([...seen].map((file) => file.slice(root.length + 1)));
}

describe("the popup's static import graph", () => {
  const graph = staticGraphOf('src/ui/popup/main.tsx');

  it('reaches the view it draws', () => {
    // The walk itself works: the entry reaches the list and the verdict of one record.
    expect(graph).toContain('src/ui/components/TabView.tsx');
    expect(graph).toContain('src/engine/verdict.ts');
  });

  it('leaves out the analysis, the rules and the engine entry that re-exports them', () => {
    const worker = [...graph].filter((file) => /^src\/engine\/(index|analyze|analysis|diagnose|conclusion)\.ts$|^src\/engine\/rules\/(?!lib\/text\.ts|lib\/steps\.ts|lib\/looked-for\.ts)/.test(file));
    expect(worker).toEqual([]);
  });
});
