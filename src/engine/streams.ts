import type { CorsOutcome, MediaKind, RecordVerdict, RequestRecord, StreamSummary } from './model.ts';
import { isPlaylist } from './media/classify.ts';

/** 'host/dir/sub/' for a URL, or null when it does not parse as http(s). */
function directoryOf(url: string): { host: string; dir: string } | null {
  const match = /^https?:\/\/([^/?#]+)([^?#]*)/i.exec(url);
  if (!match) return null;
  const path = match[2] || '/';
  return { host: match[1]!.toLowerCase(), dir: path.slice(0, path.lastIndexOf('/') + 1) };
}

/**
 * Per-stream summaries: a stream is the folder of a playlist (or manifest) and everything below it,
 * so a variant's segments count with their variant playlist; the master's folder holds what no
 * deeper playlist claims. Requests outside any playlist's folder form a stream of their own folder.
 */
export function summariseStreams(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[]): StreamSummary[] {
  const playlistDirs = new Set<string>();
  for (const record of records) {
    if (!isPlaylist(record.media)) continue;
    const where = directoryOf(record.url);
    if (where) playlistDirs.add(where.host + where.dir);
  }
  const outcomeById = new Map<string, CorsOutcome>(verdicts.map((entry) => [entry.recordId, entry.verdict.outcome]));
  const streams = new Map<string, StreamSummary>();
  for (const record of records) {
    if (record.media.kind === 'other') continue;
    const where = directoryOf(record.url);
    if (!where) continue;
    // The deepest playlist folder that contains this request.
    let key = where.host + where.dir;
    for (let dir = where.dir; dir.length > 0; dir = dir.slice(0, dir.lastIndexOf('/', dir.length - 2) + 1)) {
      if (playlistDirs.has(where.host + dir)) {
        key = where.host + dir;
        break;
      }
      if (dir === '/') break;
    }
    let summary = streams.get(key);
    if (!summary) {
      summary = { key, host: where.host, path: key.slice(where.host.length), total: 0, failing: 0, unknown: 0, byKind: {} };
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
