/**
 * `npx tsx scripts/bench-listeners.ts [iterations] [--media]`: the ordinary page (and with --media the
 * media page) with no extension, the build as it is (dist/chrome, run `npm run build:chrome` first),
 * the no-op extension (scripts/bench/noop-extension.ts) and each listener variant of the build
 * (scripts/bench/listener-variants.ts), loads alternated in one run.
 * --with=<name>=<dir> adds another build. Prints a table of medians (load time and the browser's CPU
 * time per load, in all and by kind of process: browser, page renderers, the extension's renderer
 * that runs its worker, GPU, network service) and the load average; the figures behind docs/budgets.md#why-the-ordinary-page-pays.
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureVariants, type BenchPage } from './bench/browser.ts';
import { LISTENER_VARIANTS, buildListenerVariant } from './bench/listener-variants.ts';
import { buildNoopExtension } from './bench/noop-extension.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const iterations = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 10);
const pages: BenchPage[] = process.argv.includes('--media') ? ['general', 'media'] : ['general'];
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const loads: number[] = [loadavg()[0]!];
const sampler = setInterval(() => loads.push(loadavg()[0]!), 5_000);

// The no-op extension (the same permissions and listeners, each only counting): what any extension receiving these events costs.
const noopDir = await buildNoopExtension(`${root}manifest.json`);
const dirs: Record<string, string | null> = { none: null, 'cors-lens': `${root}dist/chrome`, noop: noopDir };
// --with=<name>=<dir>: another build side by side (e.g. the main branch's, to compare before and after).
for (const arg of process.argv.filter((candidate) => candidate.startsWith('--with='))) {
  const [name, dir] = arg.slice('--with='.length).split('=');
  if (name && dir) dirs[name] = dir;
}
const variants = LISTENER_VARIANTS.filter((variant) => !only || only.includes(variant.name));
for (const variant of variants) dirs[variant.name] = await buildListenerVariant(`${root}dist/chrome`, variant);
try {
  const result = await measureVariants(dirs, pages, iterations, 40, (line) => console.log(line));
  clearInterval(sampler);
  loads.sort((a, b) => a - b);
  console.log(`\nload average (1 min) during the run: min ${loads[0]!.toFixed(2)}, median ${loads[Math.floor(loads.length / 2)]!.toFixed(2)}, max ${loads.at(-1)!.toFixed(2)}`);
  for (const which of pages) {
    console.log(`\n${which} page, ${iterations} iterations`);
    // The kinds of process that used any CPU during the loads (idle helpers left out).
    const kinds = [...new Set(Object.values(result[which].byConfig).flatMap((figures) => Object.keys(figures.cpuByProcessMs).filter((kind) => figures.cpuByProcessMs[kind]! > 0)))].sort();
    console.log(`| configuration | load ms (median) | ÷ no extension: min | median | max | browser CPU ms per load (median) | ÷ no extension | ${kinds.join(' | ')} |`);
    const baseCpu = result[which].byConfig.none!.cpuMs.median;
    for (const [config, figures] of Object.entries(result[which].byConfig)) {
      const { loadMs, ratioVsNone, cpuMs, cpuByProcessMs } = figures;
      const perKind = kinds.map((kind) => (cpuByProcessMs[kind] ?? 0).toFixed(0)).join(' | ');
      console.log(`| ${config} | ${loadMs.median.toFixed(0)} | ${ratioVsNone.min.toFixed(3)} | ${ratioVsNone.median.toFixed(3)} | ${ratioVsNone.max.toFixed(3)} | ${cpuMs.median.toFixed(0)} | ${(cpuMs.median / baseCpu).toFixed(3)} | ${perKind} |`);
    }
    for (const failure of result[which].failures) console.log(`failure: ${failure}`);
  }
  console.log(JSON.stringify(result));
} finally {
  clearInterval(sampler);
  for (const variant of variants) await rm(dirs[variant.name]!, { recursive: true, force: true });
  await rm(noopDir, { recursive: true, force: true });
}
