import { message } from '../../platform/runtime.ts';
import type { Translate } from './localised.ts';

/** _locales through browser.i18n; message() answers the key itself when there is no text. */
export const browserTranslate: Translate = (key, substitutions) => {
  const text = message(key, substitutions);
  return text === '' || text === key ? null : text;
};

/** The UI language browser.i18n picked ('en', 'en_US', 'ko'…). */
export function uiLocale(): string {
  return message('@@ui_locale');
}
