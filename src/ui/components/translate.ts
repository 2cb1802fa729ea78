import { message } from '../../platform/runtime.ts';
import type { Translate } from './localised.ts';

/** _locales through browser.i18n; message() answers the key itself when there is no text. */
export const browserTranslate: Translate = (key, substitutions) => {
  const text = message(key, substitutions);
  return text === '' || text === key ? null : text;
};

/**
 * The language of the _locales file browser.i18n picked ('en', 'ko'). Not @@ui_locale: Chromium
 * started with --lang=ko reports 'en_US' there while it reads the ko messages.
 */
export function uiLocale(): string {
  return message('uiLanguage');
}
