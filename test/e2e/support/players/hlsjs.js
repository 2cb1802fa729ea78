/* global Hls */
// hls.js: MANIFEST_LOADED / LEVEL_LOADED, FRAG_LOADED and ERROR, as hls.js reports them, and its loader's
// successes (hls.js emits no FRAG_LOADED for an init segment).
(function () {
  const { src, video, loaded, failed, finish, onDone } = window.playerRecorder;
  // One retry, quickly: a blocked segment becomes fatal within a second instead of after backoffs.
  const retry = { maxNumRetry: 1, retryDelayMs: 50, maxRetryDelayMs: 50 };
  const policy = { default: { maxTimeToFirstByteMs: 8000, maxLoadTimeMs: 20000, timeoutRetry: retry, errorRetry: retry } };
  class RecordingLoader extends Hls.DefaultConfig.loader {
    load(context, config, callbacks) {
      const onSuccess = callbacks.onSuccess;
      const detail = `loader ${context.frag ? `fragment ${context.frag.sn}` : (context.type ?? '')}`;
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, loaderContext, networkDetails) => {
          loaded(response.url || context.url, detail);
          onSuccess(response, stats, loaderContext, networkDetails);
        },
      });
    }
  }
  const hls = new Hls({
    loader: RecordingLoader, fragLoadPolicy: policy, playlistLoadPolicy: policy, manifestLoadPolicy: policy, keyLoadPolicy: policy, maxBufferLength: 30 });
  hls.on(Hls.Events.MANIFEST_LOADED, (_event, data) => loaded(data.url, 'MANIFEST_LOADED'));
  hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => loaded(data.details.url, 'LEVEL_LOADED'));
  hls.on(Hls.Events.FRAG_LOADED, (_event, data) => loaded(data.frag.url, `FRAG_LOADED ${data.frag.sn}`));
  hls.on(Hls.Events.ERROR, (_event, data) => {
    // Only a network error is about a URL; a media error (a stall, say) names the fragment at the playhead.
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      const url = data.frag ? data.frag.url : (data.url ?? data.context?.url ?? src);
      failed(url, `${data.details}${data.fatal ? ' fatal' : ''}`);
    }
    if (data.fatal) finish(data.details);
  });
  onDone(() => hls.stopLoad());
  hls.loadSource(src);
  hls.attachMedia(video);
  video.play().catch(() => {});
})();
