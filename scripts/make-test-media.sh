#!/usr/bin/env bash
# Generates the small HLS test stream used by the e2e tests: 4 segments of 1 s, H.264 + AAC in MPEG-TS.
# The output is committed (test/fixtures/media/hls), so CI does not need ffmpeg; re-run only to change it.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/media/hls"
rm -rf "$out" && mkdir -p "$out"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=160x90:rate=25:duration=4" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=4" \
  -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -g 25 -keyint_min 25 -sc_threshold 0 -b:v 80k \
  -c:a aac -b:a 32k -ac 1 \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_filename "$out/segment%d.ts" "$out/stream.m3u8"
ls -l "$out"
