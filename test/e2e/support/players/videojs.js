/* global videojs */
// video.js with VHS (its HLS and DASH engine, also where the browser plays HLS natively): every VHS
// request through the Vhs.xhr response hook, and the player's 'error' event.
(function () {
  const { src, video, loaded, failed, finish, onDone } = window.playerRecorder;
  videojs.Vhs.xhr.onResponse((request, error) => {
    const url = request.uri ?? request.responseURL;
    if (error || request.status === 0 || request.status >= 400) failed(url, `xhr ${request.status} ${error ? (error.message ?? error) : ''}`);
    else loaded(url, `xhr ${request.status}`);
  });
  const player = videojs(video, {
    muted: true,
    autoplay: true,
    html5: {
      // Excluded for good, the only rendition makes VHS give up (an 'error') instead of retrying it every 60 s.
      vhs: { overrideNative: true, playlistExclusionDuration: Infinity },
      nativeAudioTracks: false,
      nativeVideoTracks: false,
    },
  });
  player.on('error', () => {
    const error = player.error();
    failed(src, `player error ${error ? error.code : ''}`);
    finish(`video.js error ${error ? error.code : ''}`);
  });
  onDone(() => player.dispose());
  player.src({ src, type: src.includes('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL' });
})();
