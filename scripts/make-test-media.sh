#!/usr/bin/env bash
# Generates the small test streams used by the e2e tests (4 s, 160x90, about 100 kbit/s):
#   hls/       HLS, MPEG-TS: stream.m3u8, segment0..3.ts (H.264 + AAC muxed, 1 s segments)
#   hls-fmp4/  HLS, fragmented MP4: stream.m3u8, init.mp4 (EXT-X-MAP) and part0..3.m4s
#   hls-range/ HLS, one fMP4 file addressed by byte ranges (EXT-X-BYTERANGE): range.m3u8, range.mp4
#   dash/      DASH: stream.mpd, video and audio as separate adaptation sets, each with an init
#              segment and 1 s media segments (init-0.m4s, chunk-0-00001.m4s, init-1.m4s, chunk-1-…)
#   mp4/       a progressive MP4 (clip.mp4, moov first) that a native <video> reads with Range requests
# File names are unique across folders: the e2e media server finds a file by its stream folder and name.
# The output is committed (test/fixtures/media), so CI does not need ffmpeg; re-run only to change it.
set -euo pipefail
media="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/media"
source_args=(-hide_banner -loglevel error -y
  -f lavfi -i "testsrc2=size=160x90:rate=25:duration=4"
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=4")
# A key frame every second, so every 1 s segment starts with one.
codec_args=(-c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -g 25 -keyint_min 25 -sc_threshold 0 -b:v 80k
  -c:a aac -b:a 32k -ac 1)

fresh() { rm -rf "$media/$1" && mkdir -p "$media/$1" && echo "$media/$1"; }

out="$(fresh hls)"
ffmpeg "${source_args[@]}" "${codec_args[@]}" \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_filename "$out/segment%d.ts" "$out/stream.m3u8"

out="$(fresh hls-fmp4)"
ffmpeg "${source_args[@]}" "${codec_args[@]}" \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
  -hls_segment_filename "$out/part%d.m4s" "$out/stream.m3u8"

out="$(fresh hls-range)"
ffmpeg "${source_args[@]}" "${codec_args[@]}" \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_type fmp4 -hls_flags single_file \
  -hls_segment_filename "$out/range.mp4" "$out/range.m3u8"

out="$(fresh dash)"
(cd "$out" && ffmpeg "${source_args[@]}" -map 0:v -map 1:a "${codec_args[@]}" \
  -f dash -seg_duration 1 -use_template 1 -use_timeline 0 \
  -init_seg_name 'init-$RepresentationID$.m4s' -media_seg_name 'chunk-$RepresentationID$-$Number%05d$.m4s' \
  -adaptation_sets "id=0,streams=v id=1,streams=a" stream.mpd)

out="$(fresh mp4)"
ffmpeg "${source_args[@]}" "${codec_args[@]}" -movflags +faststart "$out/clip.mp4"

ls -lR "$media"
