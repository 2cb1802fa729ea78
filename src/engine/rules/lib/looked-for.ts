/**
 * The lines of "what the diagnosis looks for", the list a view shows when no rule found anything, in
 * the order shown. Each rule names the line that covers it (RuleMeta.lookedFor), and the registry test
 * checks that every line here is named by some rule: the list says what the rules look for, no more.
 * Kept apart from the rules so that a view draws the list without loading them. The text of a line is
 * the message `lookedFor_<line>`.
 */
export const LOOKED_FOR = ['allowOrigin', 'credentials', 'preflight', 'cache', 'layers', 'redirect', 'notCors', 'advice'] as const;

export type LookedFor = (typeof LOOKED_FOR)[number];
