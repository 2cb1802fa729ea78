import type { CorsOutcome, MediaKind, RecordVerdict, RequestRecord, StreamSummary } from './model.ts';
import { isPlaylist } from './media/classify.ts';

/**
 * 'host/dir/sub/' of an http(s) URL (host lower-cased), and where the path starts in it; null for
 * anything else. Hand-parsed: it runs once per record of logs of 100 000.
 */
function folderOf(url: string): { folder: string; pathStart: number } | null {
  const scheme = url.indexOf('://');
  if (scheme !== 4 && scheme !== 5) return null;
  const prefix = url.slice(0, scheme).toLowerCase();
  if (prefix !== 'http' && prefix !== 'https') return null;
  const hostStart = scheme + 3;
  let end = url.length;
  const query = url.indexOf('?', hostStart);
  if (query !== -1) end = query;
  const hash = url.indexOf('#', hostStart);
  if (hash !== -1 && hash < end) end = hash;
  let pathStart = url.indexOf('/', hostStart);
  if (pathStart === -1 || pathStart > end) pathStart = end;
  if (pathStart === hostStart) return null;
  const host = url.slice(hostStart, pathStart).toLowerCase();
  const path = pathStart === end ? '/' : url.slice(pathStart, end);
  return { folder: host + path.slice(0, path.lastIndexOf('/') + 1), pathStart: host.length };
}

/**
 * Per-stream summaries: a stream is the folder of a playlist (or manifest) and everything below it,
 * so a variant's segments count with their variant playlist; the master's folder holds what no
 * deeper playlist claims. Requests outside any playlist's folder form a stream of their own folder.
 */
export function summariseStreams(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[]): StreamSummary[] {
  const folders: Array<{ folder: string; pathStart: number } | null> = new Array(records.length);
  const playlistFolders = new Set<string>();
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const where = record.media.kind === 'other' ? null : folderOf(record.url);
    folders[index] = where;
    if (where && isPlaylist(record.media)) playlistFolders.add(where.folder);
  }
  const outcomeById = new Map<string, CorsOutcome>();
  for (const entry of verdicts) outcomeById.set(entry.recordId, entry.verdict.outcome);
  // Folder → its stream key, worked out once per folder (records share a handful of folders).
  const streamKeyOf = new Map<string, string>();
  const streams = new Map<string, StreamSummary>();
  for (let index = 0; index < records.length; index++) {
    const where = folders[index];
    if (!where) continue;
    const record = records[index]!;
    let key = streamKeyOf.get(where.folder);
    if (key === undefined) {
      key = where.folder;
      // The deepest playlist folder that contains this one.
      for (let cut = where.folder.length; cut > where.pathStart; cut = where.folder.lastIndexOf('/', cut - 2) + 1) {
        const candidate = where.folder.slice(0, cut);
        if (playlistFolders.has(candidate)) {
          key = candidate;
          break;
        }
      }
      streamKeyOf.set(where.folder, key);
    }
    let summary = streams.get(key);
    if (!summary) {
      summary = { key, host: key.slice(0, where.pathStart), path: key.slice(where.pathStart), total: 0, failing: 0, unknown: 0, byKind: {} };
      streams.set(key, summary);
    }
    summary.total++;
    const outcome = outcomeById.get(record.id);
    if (outcome === 'fail') summary.failing++;
    else if (outcome === 'unknown') summary.unknown++;
    const kind: MediaKind = record.media.kind;
    summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
  }
  return [...streams.values()].sort((a, b) => b.failing - a.failing || a.key.localeCompare(b.key));
}
