/**
 * Localisable texts: the engine describes a finding as message ids and values (MessageRef), renders
 * them in English for `message` and `fix`, and the UI renders the same values through _locales.
 * Message ids map to _locales keys by turning `.` and `-` into `_` (localeKeyOf).
 */
import type { MessageData, MessageList, MessageRef, MessageValue } from '../../model.ts';
import { Memo } from '../../memo.ts';

/** Looks a message up and fills it; null when the id has no text in that language. */
export type MessageLookup = (id: string, values: Readonly<Record<string, string>>) => string | null;

/** The message a rule's own template has: `<ruleId>.<messageId>` → _locales `rule_<rule_id>_<messageId>`. */
export const RULE_MESSAGE_PREFIX = 'rule.';

export function localeKeyOf(id: string): string {
  return id.replace(/[.-]/g, '_');
}

export function ref(id: string, data?: MessageData): MessageRef {
  return data === undefined ? { id } : { id, data };
}

export function isRef(value: MessageValue): value is MessageRef {
  return typeof value === 'object' && 'id' in value;
}

export function isList(value: MessageValue): value is MessageList {
  return typeof value === 'object' && 'items' in value;
}

/** Texts every language needs to join lists; the rest live with the code that uses them. */
export const LIST_TEXT: Readonly<Record<string, string>> = {
  'list.none': '(none)',
  'list.and': '{{head}} and {{last}}',
  'list.more': '{{head}} and {{more}} more',
};

/** Thrown when a language has no text for an id; the caller falls back to the English text. */
export class MissingMessage extends Error {
  constructor(readonly id: string) {
    super(`no text for ${id}`);
  }
}

function lookupOrThrow(lookup: MessageLookup, id: string, values: Readonly<Record<string, string>>): string {
  const text = lookup(id, values);
  if (text === null) throw new MissingMessage(id);
  return text;
}

/** Renders a value in the language the lookup speaks; throws MissingMessage for an unknown id. */
export function renderText(value: MessageValue, lookup: MessageLookup): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isList(value)) {
    const items = value.items.map((item) => renderText(item, lookup));
    if (items.length === 0) return lookupOrThrow(lookup, 'list.none', {});
    if (value.more > 0) return lookupOrThrow(lookup, 'list.more', { head: items.join(', '), more: String(value.more) });
    if (items.length === 1) return items[0]!;
    return lookupOrThrow(lookup, 'list.and', { head: items.slice(0, -1).join(', '), last: items.at(-1)! });
  }
  return lookupOrThrow(lookup, value.id, renderData(value.data ?? {}, lookup));
}

export function renderData(data: MessageData, lookup: MessageLookup): Record<string, string> {
  const values: Record<string, string> = {};
  // for…in over a plain literal visits what Object.entries gives, in the same order, without an array per pair.
  for (const name in data) values[name] = renderText(data[name]!, lookup);
  return values;
}

/** Numbered steps, one per line ("1. …"), as a finding's `fix` carries them. */
export function renderSteps(steps: readonly MessageValue[], lookup: MessageLookup): string {
  return steps.map((step, index) => `${index + 1}. ${renderText(step, lookup)}`).join('\n');
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A template cut at its placeholders: text, then per placeholder its name, its source and the text after it. */
interface CompiledTemplate {
  readonly head: string;
  readonly parts: ReadonlyArray<{ readonly name: string; readonly whole: string; readonly tail: string }>;
}

/** Templates are the catalogue's constants: each is cut once (a pure function of its text; frozen). */
const COMPILED_TEMPLATES = new Memo<CompiledTemplate>((template) => {
  const parts: Array<{ name: string; whole: string; tail: string }> = [];
  let head = '';
  let last = 0;
  // The same matches String.prototype.replace visits with the same global pattern.
  for (const match of template.matchAll(PLACEHOLDER)) {
    const text = template.slice(last, match.index);
    if (parts.length === 0) head = text;
    else parts[parts.length - 1]!.tail = text;
    parts.push({ name: match[1]!, whole: match[0], tail: '' });
    last = match.index + match[0].length;
  }
  if (parts.length === 0) head = template;
  else parts[parts.length - 1]!.tail = template.slice(last);
  return Object.freeze({ head, parts: Object.freeze(parts.map((part) => Object.freeze(part))) });
});

/**
 * Fills {{name}} placeholders: the one template filler (rule messages, fix steps, every catalogue
 * text). Numbers are written as String() writes them; an unknown name stays visible so tests catch it.
 */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string | number>>): string {
  const { head, parts } = COMPILED_TEMPLATES.get(template);
  let text = head;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const value = values[part.name];
    text += (value === undefined ? part.whole : String(value)) + part.tail;
  }
  return text;
}

/** The placeholder names of a {{template}}, in order of first use (a list of the caller's own). */
export function placeholdersOf(template: string): string[] {
  return [...placeholderNamesOf(template)];
}

/** The placeholder names of each template, each once in order of first use (frozen: shared by every caller). */
const PLACEHOLDER_NAMES = new Memo<readonly string[]>((template) => Object.freeze([...new Set(COMPILED_TEMPLATES.get(template).parts.map((part) => part.name))]));

/** placeholdersOf without a copy, for callers that only read it (a finding's message values, per report). */
export function placeholderNamesOf(template: string): readonly string[] {
  return PLACEHOLDER_NAMES.get(template);
}

/**
 * A lookup over {{templates}} keyed by message id. A Map, not the object: ids are often built at the
 * call (`rule.<id>.<name>`), and a Map looks a fresh string up by its hash alone.
 */
export function catalogueLookup(catalogue: Readonly<Record<string, string>>): MessageLookup {
  const templates = new Map(Object.entries(catalogue));
  return (id, values) => {
    const template = templates.get(id);
    return template === undefined ? null : fillPlaceholders(template, values);
  };
}
