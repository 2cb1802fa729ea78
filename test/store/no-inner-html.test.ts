/** The build-time removal of Preact's innerHTML assignment (scripts/build/no-inner-html.ts). */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { withoutInnerHtmlAssignment } from '../../scripts/build/no-inner-html.ts';

const preactModule = readFileSync(createRequire(import.meta.url).resolve('preact'), 'utf8');
const assignments = (code: string) => code.match(/\.innerHTML\s*=[^=]/g)?.length ?? 0;

describe('no-inner-html', () => {
  test("the installed Preact has exactly one innerHTML assignment, and none is left after the transform", () => {
    expect(assignments(preactModule)).toBe(1);
    const patched = withoutInnerHtmlAssignment(preactModule);
    expect(assignments(patched)).toBe(0);
    // Only that expression changed: the rest of Preact is byte for byte the same.
    const assignment = /\([\w$]+\.innerHTML=[\w$]+\.__html\)/.exec(preactModule)![0];
    const thrower = /\(function\(\)\{throw new Error\("[^"]+"\)\}\)\(\)/.exec(patched)![0];
    expect(patched.split(thrower)).toEqual(preactModule.split(assignment));
  });

  test('a Preact without the pattern (or with two) fails the build instead of shipping unchecked', () => {
    expect(() => withoutInnerHtmlAssignment('export const x = 1;')).toThrow(/found 0/);
    expect(() => withoutInnerHtmlAssignment('(a.innerHTML=b.__html);(c.innerHTML=d.__html)')).toThrow(/found 2/);
  });
});
