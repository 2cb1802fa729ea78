/* global dashjs */
// dash.js: MANIFEST_LOADED, FRAGMENT_LOADING_COMPLETED (with its error when the request failed) and ERROR.
(function () {
  const { src, video, loaded, failed, finish, onDone } = window.playerRecorder;
  const events = dashjs.MediaPlayer.events;
  const player = dashjs.MediaPlayer().create();
  // One retry, quickly, per request type.
  const once = { MPD: 1, MediaSegment: 1, InitializationSegment: 1, IndexSegment: 1, BitstreamSwitchingSegment: 1 };
  const fast = { MPD: 50, MediaSegment: 50, InitializationSegment: 50, IndexSegment: 50, BitstreamSwitchingSegment: 50 };
  player.updateSettings({ debug: { logLevel: 0 }, streaming: { retryAttempts: once, retryIntervals: fast } });
  player.on(events.MANIFEST_LOADED, () => loaded(src, 'MANIFEST_LOADED'));
  player.on(events.FRAGMENT_LOADING_COMPLETED, (event) => {
    const request = event.request ?? {};
    if (event.error) failed(request.url, `FRAGMENT_LOADING_COMPLETED ${request.type} error ${event.error.code ?? ''}`);
    else loaded(request.url, `FRAGMENT_LOADING_COMPLETED ${request.type}`);
  });
  player.on(events.ERROR, (event) => {
    const error = event.error ?? {};
    const url = error.data?.request?.url ?? error.data?.url ?? src;
    failed(url, `ERROR ${error.code ?? ''} ${error.message ?? ''}`);
    finish(`dash.js error ${error.code ?? ''}`);
  });
  player.on(events.PLAYBACK_ERROR, (event) => finish(`playback error ${event.error?.code ?? ''}`));
  onDone(() => player.reset());
  player.initialize(video, src, true);
})();
