/* global shaka */
// Shaka Player: the networking engine's response filter (every loaded manifest and segment) and the
// player's 'error' event (a failed request's URL is the error's first datum).
(function () {
  const { src, video, loaded, failed, finish, onDone } = window.playerRecorder;
  const TYPES = ['manifest', 'segment', 'license', 'app', 'timing', 'server-certificate', 'key', 'ads', 'content-steering', 'cmcd'];
  shaka.polyfill.installAll();
  const player = new shaka.Player();
  // Two attempts, quickly: the failing segment is retried once, then the error is final.
  const retryParameters = { maxAttempts: 2, baseDelay: 50, backoffFactor: 1, fuzzFactor: 0, timeout: 20000, stallTimeout: 0, connectionTimeout: 0 };
  player.configure({ streaming: { retryParameters }, manifest: { retryParameters } });
  player.getNetworkingEngine().registerResponseFilter((type, response) => loaded(response.uri, TYPES[type] ?? String(type)));
  player.addEventListener('error', (event) => {
    const error = event.detail;
    const url = error.data && typeof error.data[0] === 'string' ? error.data[0] : src;
    failed(url, `shaka error ${error.code}`);
    finish(`shaka error ${error.code}`);
  });
  onDone(() => void player.unload().catch(() => {}));
  player
    .attach(video)
    .then(() => player.load(src))
    .then(() => video.play())
    .catch((error) => {
      // load() rejects with the same error the 'error' event reported (or a play() refusal).
      if (!window.__player.done) finish(`shaka load ${error && error.code}`);
    });
})();
