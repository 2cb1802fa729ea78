import { describe, expect, test } from 'vitest';
import { VIEW_MESSAGE_VALIDATORS, isViewMessage, parseViewMessage } from '../../src/view/protocol.ts';

describe('view messages', () => {
  test('get-tab-view and get-records are recognised with their fields checked', () => {
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1 })).toBe(true);
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1, since: { logId: 'a:1', revision: 3 } })).toBe(true);
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1, since: { logId: 1, revision: 3 } })).toBe(false);
    expect(isViewMessage({ type: 'get-records', tabId: 1, recordIds: ['1', '2'] })).toBe(true);
    expect(isViewMessage({ type: 'get-records', tabId: 1, recordIds: [1] })).toBe(false);
    expect(isViewMessage({ type: 'get-records', tabId: 1 })).toBe(false);
  });

  test('every type has a validator; unknown types, inherited names and bad tab ids are told apart', () => {
    expect(Object.keys(VIEW_MESSAGE_VALIDATORS).sort()).toEqual(['clear-tab-log', 'get-records', 'get-tab-log', 'get-tab-view', 'retest', 'set-preserve-log']);
    expect(parseViewMessage({ type: 'get-tab-log', tabId: 1 })).toEqual({ message: { type: 'get-tab-log', tabId: 1 } });
    expect(parseViewMessage({ type: 'nope', tabId: 1 })).toEqual({ problem: 'unknown-type', type: 'nope' });
    expect(parseViewMessage({ type: '__proto__', tabId: 1 })).toEqual({ problem: 'unknown-type', type: '__proto__' });
    expect(parseViewMessage({ type: 'constructor', tabId: 1 })).toEqual({ problem: 'unknown-type', type: 'constructor' });
    expect(parseViewMessage({ type: 'retest', tabId: 1.5, recordId: 'a' })).toEqual({ problem: 'invalid', type: 'retest' });
    expect(parseViewMessage({ type: 'set-preserve-log', tabId: 1, preserve: 'yes' })).toEqual({ problem: 'invalid', type: 'set-preserve-log' });
    expect(parseViewMessage(null)).toEqual({ problem: 'not-a-message' });
    expect(parseViewMessage({ tabId: 1 })).toEqual({ problem: 'not-a-message' });
  });
});
