// A native <video> (Chromium plays HLS and MP4 itself): only the element's own events, for its src.
// ?crossorigin=anonymous makes its requests CORS requests; without it they are no-cors.
(function () {
  const { src, video, params, loaded, failed, finish } = window.playerRecorder;
  const crossOrigin = params.get('crossorigin');
  if (crossOrigin !== null) video.crossOrigin = crossOrigin;
  video.addEventListener('loadeddata', () => loaded(src, 'loadeddata'));
  video.addEventListener('error', () => {
    const error = video.error;
    failed(src, `MediaError ${error ? error.code : ''}`);
    finish(`MediaError ${error ? error.code : ''}`);
  });
  video.src = src;
  video.play().catch(() => {});
})();
