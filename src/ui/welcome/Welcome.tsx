import { useEffect, useState } from 'preact/hooks';
import { message } from '../../platform/runtime.ts';
import { uiLocale } from '../components/translate.ts';
import { popupShortcut } from '../../platform/tabs.ts';
import { toolbarBadgeOf, type ToolbarState } from '../../view/toolbar.ts';
import { AccessNotice } from '../components/AccessNotice.tsx';

/** One example of each toolbar state, with the legend text for it. */
const BADGE_LEGEND: Array<{ state: ToolbarState; key: string }> = [
  { state: { kind: 'nothing-captured' }, key: 'welcomeBadgeNothing' },
  { state: { kind: 'all-passing', media: 1 }, key: 'welcomeBadgePassing' },
  { state: { kind: 'rejected', rejected: 3 }, key: 'welcomeBadgeRejected' },
  { state: { kind: 'undetermined', undetermined: 1 }, key: 'welcomeBadgeUndetermined' },
];

/** The first-run page, opened once after install (src/background/first-run.ts). */
export function Welcome() {
  // undefined while asking; '' when no shortcut is assigned.
  const [shortcut, setShortcut] = useState<string | undefined>(undefined);
  useEffect(() => {
    document.documentElement.lang = uiLocale();
    popupShortcut().then(setShortcut, () => setShortcut(''));
  }, []);
  return (
    <main>
      <h1>
        <img src="/icons/icon-48.png" width="48" height="48" alt="" />
        {message('welcomeTitle')}
      </h1>
      <p>{message('welcomeIntro')}</p>
      <AccessNotice onGranted={() => undefined} />
      <h2>{message('welcomeHowTitle')}</h2>
      <ol>
        <li>{message('welcomeStepPlay')}</li>
        <li>
          {message('welcomeStepOpen')}{' '}
          {shortcut !== undefined && <span data-testid="shortcut">{shortcut ? message('welcomeShortcut', shortcut) : message('welcomeNoShortcut')}</span>}
        </li>
        <li>{message('welcomeStepRead')}</li>
      </ol>
      <h2>{message('welcomeBadgeTitle')}</h2>
      <ul class="legend">
        {BADGE_LEGEND.map(({ state, key }) => {
          const badge = toolbarBadgeOf(state);
          return (
            <li key={key}>
              <span class={badge.text ? 'badge' : 'badge empty'} style={badge.text ? { background: badge.color } : undefined} aria-hidden="true">
                {badge.text || '\u00a0'}
              </span>
              {message(key)}
            </li>
          );
        })}
      </ul>
      <h2>{message('welcomeLimitsTitle')}</h2>
      <ul>
        <li>{message('welcomeLimitBefore')}</li>
        <li>{message('welcomeLimitAccess')}</li>
        <li>{message('welcomeLimitPrivate')}</li>
      </ul>
      <p class="muted">{message('welcomePrivacy')}</p>
    </main>
  );
}
