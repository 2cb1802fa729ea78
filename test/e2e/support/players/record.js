// Loaded first by every player page: keeps what the player itself reported, per URL, in
// window.__player for the e2e tests to read (test/e2e/support/players.ts, PlayerState).
(function () {
  const params = new URLSearchParams(location.search);
  const src = params.get('src') ?? '';
  const video = document.getElementById('video');
  const state = { player: document.documentElement.dataset.player ?? '', src, done: false, fatal: null, ended: false, events: [] };
  window.__player = state;
  const absolute = (url) => {
    try {
      return new URL(String(url), src).href;
    } catch {
      return String(url);
    }
  };
  const stops = [];
  // Done: the player stops loading (a player that gave up on one track may go on with another), so
  // every request a test compares was sent before `done`.
  const finish = (fatal) => {
    if (fatal !== undefined && state.fatal === null) state.fatal = String(fatal);
    if (state.done) return;
    state.done = true;
    for (const stop of stops) {
      try {
        stop();
      } catch (error) {
        state.events.push({ event: 'failed', url: src, detail: `stopping the player: ${error}` });
      }
    }
  };
  window.playerRecorder = {
    src,
    video,
    params,
    loaded: (url, detail) => state.events.push({ event: 'loaded', url: absolute(url), detail: String(detail ?? '') }),
    failed: (url, detail) => state.events.push({ event: 'failed', url: absolute(url), detail: String(detail ?? '') }),
    finish,
    /** What stops the player's loading once it is done. */
    onDone: (stop) => stops.push(stop),
  };
  video.addEventListener('ended', () => {
    state.ended = true;
    finish();
  });
  // Chromium has been seen (dash.js, a loaded machine) to stop at the very end (currentTime ===
  // duration, paused, readyState 4) without firing 'ended': a pause at the end is the end too.
  const stoppedAtTheEnd = () => {
    if (!video.paused || !(video.duration > 0) || video.currentTime < video.duration) return;
    state.ended = true;
    finish();
  };
  for (const event of ['pause', 'seeked', 'timeupdate']) video.addEventListener(event, stoppedAtTheEnd);
  // Four times real time: a clean 4 s stream ends in about a second, so no test waits for playback.
  video.addEventListener('playing', () => {
    video.playbackRate = 4;
  });
})();
