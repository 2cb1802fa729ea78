import { describe, expect, test } from 'vitest';
import { fillPlaceholders, placeholdersOf } from '../../../src/engine/rules/lib/text.ts';

describe('{{placeholder}} templates', () => {
  test.each<[string, Record<string, string>, string]>([
    ['no placeholder', {}, 'no placeholder'],
    ['{{a}}', { a: 'x' }, 'x'],
    ['{{a}}{{b}}', { a: '1', b: '2' }, '12'],
    ['age {{ age }} at {{pop}}.', { age: '42 s', pop: 'ICN80' }, 'age 42 s at ICN80.'],
    ['{{a}} and {{a}} again', { a: 'x' }, 'x and x again'],
    ['kept: {{ missing }} and {{b}}', { b: 'y' }, 'kept: {{ missing }} and y'],
    ['values with {{a}} stay literal', { a: '{{b}} $1 $&' }, 'values with {{b}} $1 $& stay literal'],
  ])('%s', (template, values, expected) => {
    expect(fillPlaceholders(template, values)).toBe(expected);
    // The same template again (now compiled) gives the same text.
    expect(fillPlaceholders(template, values)).toBe(expected);
  });

  test('placeholder names in order of first use', () => {
    expect(placeholdersOf('{{b}} {{ a }} {{b}}')).toEqual(['b', 'a']);
  });
});
