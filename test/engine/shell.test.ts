import { describe, expect, it } from 'vitest';
import { parse } from 'shell-quote';
import { shellArg, shellCommand } from '../../src/engine/shell.ts';

const HOSTILE = ['x;id;', 'a|b', 'a && b', '$(id)', '`id`', "it's", '"q"', 'line\nnext', 'a%0Ab', '*', '~/x', '{a,b}', '', ' ', '\u2028', '\u0085x', '\\', '=id'];

describe('shellCommand', () => {
  it('keeps every hostile value inside one argument, with no operator, on one line', () => {
    for (const value of HOSTILE) {
      const line = shellCommand(['aws', 's3api', 'put-bucket-cors', '--bucket', value]);
      expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
      const words = parse(line);
      expect(words.every((word) => typeof word === 'string'), `${JSON.stringify(value)} → ${line}`).toBe(true);
      expect(words).toHaveLength(5);
      expect(words[4]).toBe(value.replace(/[\n\u2028\u0085]/g, ''));
    }
  });

  it('leaves plain words bare and single-quotes URLs with queries, without backslash escapes', () => {
    expect(shellArg('--paths')).toBe('--paths');
    expect(shellArg('--cors-file=cors.json')).toBe('--cors-file=cors.json');
    expect(shellArg('=ls')).toBe("'=ls'");
    expect(shellArg('https://cdn.example/a/b.m3u8')).toBe('https://cdn.example/a/b.m3u8');
    expect(shellArg('https://cdn.example/a.ts?x=1&y=2')).toBe("'https://cdn.example/a.ts?x=1&y=2'");
    expect(shellArg('Origin: https://site.example')).toBe("'Origin: https://site.example'");
  });
});
