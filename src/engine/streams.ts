import type { CorsOutcome, MediaKind, RecordVerdict, RequestRecord, StreamSummary } from './model.ts';
import { isPlaylist, isStreamPart } from './media/classify.ts';

/** Where a record sits: 'host/dir/sub/' of its URL (host lower-cased) and where the path starts in it. */
export interface RecordFolder {
  folder: string;
  pathStart: number;
}

/**
 * 'host/dir/sub/' of an http(s) URL (host lower-cased), and where the path starts in it; null for
 * anything else. Hand-parsed: it runs once per record of logs of 100 000.
 */
function folderOf(url: string): RecordFolder | null {
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
 * Where the directory part of an http(s) URL ends (after its last `/` before any `?` or `#`), when
 * that slash lies past the authority: the URL's folder is then the folder of url.slice(0, end).
 * -1 otherwise (no such slash, or not http(s)).
 */
function directoryEndOf(url: string): number {
  const scheme = url.indexOf('://');
  if (scheme !== 4 && scheme !== 5) return -1;
  const hostStart = scheme + 3;
  let end = url.indexOf('?', hostStart);
  const hash = url.indexOf('#', hostStart);
  if (end === -1 || (hash !== -1 && hash < end)) end = hash === -1 ? url.length : hash;
  const slash = end === 0 ? -1 : url.lastIndexOf('/', end - 1);
  return slash >= hostStart ? slash + 1 : -1;
}

/** Directory → folder entries remembered at most per reader (a hostile log can have many directories). */
const MAX_DIRECTORIES = 4096;

/**
 * folderOf for the records of one log, worked out once per URL directory: a media log has 100 000
 * URLs in a few dozen directories, and the records of one directory share one folder string.
 */
export class FolderReader {
  readonly #byDirectory = new Map<string, RecordFolder | null>();

  of(record: RequestRecord): RecordFolder | null {
    if (!isStreamPart(record.media)) return null;
    const url = record.url;
    const end = directoryEndOf(url);
    if (end === -1) return folderOf(url);
    const directory = url.slice(0, end);
    let where = this.#byDirectory.get(directory);
    if (where === undefined) {
      where = folderOf(directory);
      if (this.#byDirectory.size < MAX_DIRECTORIES) this.#byDirectory.set(directory, where);
    }
    return where;
  }
}

/** The folder a record counts in for streams; null for records outside any stream (not media or a preflight, non-http(s)). */
export function streamFolderOf(record: RequestRecord): RecordFolder | null {
  return isStreamPart(record.media) ? folderOf(record.url) : null;
}

/** A stream key split for display: the host, and the path of the stream's folder. */
export function streamHostAndPath(key: string, pathStart: number): { host: string; path: string } {
  return { host: key.slice(0, pathStart), path: key.slice(pathStart) };
}

/** Folder → key entries remembered at most; past it the memo starts over (a hostile page can make many folders). */
const MAX_MEMO_FOLDERS = 2000;

/**
 * The stream keys of records — the one definition used by summariseStreams (all records at once) and
 * by the background's exact per-stream counts (records as they arrive). A stream is the folder of a
 * playlist (or manifest) and everything below it: a record's key is the deepest playlist folder
 * known that contains its folder, or else its own folder.
 *
 * Incremental use (`placeOf`) knows only the playlists seen so far: a segment that arrives before
 * its variant playlist (rare — a player fetches the playlist to learn the segment URLs) is keyed
 * to the deepest playlist folder already known (the master's, usually) or to its own folder, and
 * stays counted there; segments after the playlist count in the playlist's stream.
 */
export class StreamKeys {
  readonly #playlistFolders = new Set<string>();
  /**
   * The lengths of those folders: keyOf looks a prefix up only where one could match, so a URL of
   * 100 000 slashes costs one scan, not 100 000 lookups of long prefixes (V8 hashes up to 16 383
   * characters of each).
   */
  readonly #playlistFolderLengths = new Set<number>();
  readonly #maxPlaylistFolders: number;
  /** Folder → its stream key, worked out once per folder (records share a handful of folders). */
  readonly #keyOfFolder = new Map<string, string>();

  /** maxPlaylistFolders: further playlist folders are not noted (their records key as if there were no playlist). */
  constructor(playlistFolders: Iterable<string> = [], maxPlaylistFolders = Infinity) {
    this.#maxPlaylistFolders = maxPlaylistFolders;
    for (const folder of playlistFolders) this.notePlaylistFolder(folder);
  }

  /** Playlist folders noted so far (to persist them, and to rebuild the keys after a restart). */
  get playlistFolders(): string[] {
    return [...this.#playlistFolders];
  }

  notePlaylistFolder(folder: string): void {
    if (this.#playlistFolders.has(folder) || this.#playlistFolders.size >= this.#maxPlaylistFolders) return;
    this.#playlistFolders.add(folder);
    this.#playlistFolderLengths.add(folder.length);
    // A new playlist folder may now be the deepest for folders already keyed.
    this.#keyOfFolder.clear();
  }

  /** The stream key of a folder, given the playlist folders noted so far. */
  keyOf(where: RecordFolder): string {
    let key = this.#keyOfFolder.get(where.folder);
    if (key !== undefined) return key;
    key = where.folder;
    // The deepest playlist folder that contains this one.
    for (let cut = where.folder.length; cut > where.pathStart; cut = where.folder.lastIndexOf('/', cut - 2) + 1) {
      if (!this.#playlistFolderLengths.has(cut)) continue;
      const candidate = where.folder.slice(0, cut);
      if (this.#playlistFolders.has(candidate)) {
        key = candidate;
        break;
      }
    }
    if (this.#keyOfFolder.size >= MAX_MEMO_FOLDERS) this.#keyOfFolder.clear();
    this.#keyOfFolder.set(where.folder, key);
    return key;
  }

  /** Incremental: notes the record if it is a playlist, then gives its stream key and where the path starts in it (null outside any stream). */
  placeOf(record: RequestRecord): { key: string; pathStart: number } | null {
    const where = streamFolderOf(record);
    if (!where) return null;
    if (isPlaylist(record.media)) this.notePlaylistFolder(where.folder);
    return { key: this.keyOf(where), pathStart: where.pathStart };
  }
}

/** The folder of each record of a log (null outside any stream), index for index, and the stream keys over all its playlists. */
export interface LogFolders {
  readonly folders: ReadonlyArray<RecordFolder | null>;
  readonly keys: StreamKeys;
}

/** The folders of a log, worked out once per analysis (src/engine/analysis.ts): the report's streams and RuleContext.streamOf share them. */
export function foldersOfLog(records: readonly RequestRecord[]): LogFolders {
  const folders: Array<RecordFolder | null> = new Array(records.length);
  const keys = new StreamKeys();
  const reader = new FolderReader();
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const where = reader.of(record);
    folders[index] = where;
    if (where && isPlaylist(record.media)) keys.notePlaylistFolder(where.folder);
  }
  return { folders, keys };
}

/**
 * Per-stream summaries (`logFolders`: the folders of `records`, when already worked out): a stream is the folder of a playlist (or manifest) and everything below it,
 * so a variant's segments count with their variant playlist; the master's folder holds what no
 * deeper playlist claims. Requests outside any playlist's folder form a stream of their own folder.
 */
export function summariseStreams(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[], logFolders: LogFolders = foldersOfLog(records)): StreamSummary[] {
  const { folders, keys } = logFolders;
  // Verdicts come in record order from analyze: paired by position, by id only when they do not line up.
  let outcomeById: Map<string, CorsOutcome> | null = null;
  const streams = new Map<string, StreamSummary>();
  for (let index = 0; index < records.length; index++) {
    const where = folders[index];
    if (!where) continue;
    const record = records[index]!;
    const key = keys.keyOf(where);
    let summary = streams.get(key);
    if (!summary) {
      // Written out, not spread from streamHostAndPath: a spread takes V8's slow path (same fields, same order).
      summary = { key, host: key.slice(0, where.pathStart), path: key.slice(where.pathStart), total: 0, failing: 0, unknown: 0, byKind: {} };
      streams.set(key, summary);
    }
    const aligned = verdicts[index];
    let outcome: CorsOutcome | undefined;
    if (aligned !== undefined && aligned.recordId === record.id) outcome = aligned.verdict.outcome;
    else outcome = (outcomeById ??= outcomesById(verdicts)).get(record.id);
    countInStream(summary, record.media.kind, outcome);
  }
  return sortStreams([...streams.values()]);
}

function outcomesById(verdicts: readonly RecordVerdict[]): Map<string, CorsOutcome> {
  const byId = new Map<string, CorsOutcome>();
  for (const entry of verdicts) byId.set(entry.recordId, entry.verdict.outcome);
  return byId;
}

/** Counts one record in a stream's summary. */
export function countInStream(summary: StreamSummary, kind: MediaKind, outcome: CorsOutcome | undefined): void {
  summary.total++;
  if (outcome === 'fail') summary.failing++;
  else if (outcome === 'unknown') summary.unknown++;
  summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
}

/** The order streams are shown in: those with failures first, then by key. */
export function sortStreams(streams: StreamSummary[]): StreamSummary[] {
  return streams.sort((a, b) => b.failing - a.failing || a.key.localeCompare(b.key));
}
