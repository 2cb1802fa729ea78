import type { MediaClass, MediaKind } from '../engine/model.ts';

/**
 * What one of the engine's media predicates (isMedia, isPlaylist: src/engine/media/classify.ts, the one
 * definition of playlist and media) says of a kind. Rows carry the kind alone; the predicates read nothing else.
 */
export function kindIs(predicate: (media: MediaClass) => boolean, kind: MediaKind): boolean {
  return predicate({ kind, format: 'unknown' });
}
