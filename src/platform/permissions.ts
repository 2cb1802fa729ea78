import { browser } from './browser.ts';

/** Firefox treats MV3 host permissions as optional: the user may not have granted them (yet). */
const ALL_SITES = { origins: ['<all_urls>'] };

export async function hasAllSitesAccess(): Promise<boolean> {
  try {
    return await browser.permissions.contains(ALL_SITES);
  } catch {
    return false;
  }
}

/** Must run from a user gesture (a click); resolves to whether access was granted. */
export async function requestAllSitesAccess(): Promise<boolean> {
  try {
    return await browser.permissions.request(ALL_SITES);
  } catch {
    return false;
  }
}
