import { describe, expect, test } from 'vitest';
import { isViewMessage } from '../../src/background/messages.ts';

describe('view messages', () => {
  test('get-tab-view and get-records are recognised with their fields checked', () => {
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1 })).toBe(true);
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1, since: { logId: 'a:1', revision: 3 } })).toBe(true);
    expect(isViewMessage({ type: 'get-tab-view', tabId: 1, since: { logId: 1, revision: 3 } })).toBe(false);
    expect(isViewMessage({ type: 'get-records', tabId: 1, recordIds: ['1', '2'] })).toBe(true);
    expect(isViewMessage({ type: 'get-records', tabId: 1, recordIds: [1] })).toBe(false);
    expect(isViewMessage({ type: 'get-records', tabId: 1 })).toBe(false);
  });
});
