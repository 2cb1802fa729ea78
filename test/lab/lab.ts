/**
 * The lab: an S3-like bucket (s3.ts) behind a CloudFront-like edge (edge.ts), both on loopback ports,
 * sharing one clock. The bucket holds copies of the committed test stream under video folders. A
 * scenario may put the bucket itself in front of the browser (no CDN), or a real nginx (nginx.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabClock } from './clock.ts';
import type { BucketObject, LabConfig } from './config.ts';
import { CloudFrontEdge, LAB_CLIENT_HEADER, startEdge } from './edge.ts';
import { labFetch, type LabResponse } from './http.ts';
import { startNginx, type NginxServer, type NginxSiteConfig } from './nginx.ts';
import { S3Bucket, startS3Origin } from './s3.ts';
import { startVarnish, type VarnishCacheConfig, type VarnishServer } from './varnish.ts';

const mediaDir = fileURLToPath(new URL('../fixtures/media/hls', import.meta.url));
export const STREAM_FILES = ['stream.m3u8', 'segment0.ts', 'segment1.ts', 'segment2.ts', 'segment3.ts'] as const;
const CONTENT_TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/MP2T' };

/** What a browser sends as Accept-Encoding; the lab's own requests send it too, so they share the browser's cache key. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface LabOptions {
  config: LabConfig;
  /** Video folders, e.g. '/public/movie/b296e729/'; each holds the test stream. */
  videos: readonly string[];
  clock?: LabClock;
  /** Object keys to leave out of the bucket (a segment not uploaded yet). */
  missing?: readonly string[];
  /** S3 object metadata Cache-Control per file extension, e.g. { '.m3u8': 'max-age=3600' }. */
  cacheControl?: Readonly<Record<string, string>>;
  /**
   * What the browser talks to: the CloudFront-like edge (default), the S3-like bucket itself (no CDN
   * in front), or a real nginx serving the same stream (its site configuration in `nginx`).
   */
  front?: LabFront;
  nginx?: NginxSiteConfig;
  /** How the real Varnish in front of the bucket is set up, when `front` is 'varnish' (varnish.ts). */
  varnish?: VarnishCacheConfig;
}

export type LabFront = 'edge' | 'bucket' | 'nginx' | 'varnish';

/** A request that reached the server the browser talks to. */
export interface ViewerLogEntry {
  method: string;
  path: string;
  origin: string | null;
  /** Sent by the lab's own Node client (a pre-warm), not by a browser. */
  fromLabClient: boolean;
}

export interface Lab {
  clock: LabClock;
  bucket: S3Bucket;
  edge: CloudFrontEdge;
  front: LabFront;
  /** The real nginx when `front` is 'nginx'. */
  nginx: NginxServer | null;
  /** The real Varnish in front of the bucket when `front` is 'varnish'. */
  varnish: VarnishServer | null;
  /** The front as a browser reaches it: http://localhost:PORT. */
  origin: string;
  port: number;
  /** Every request that reached the front, in order. */
  viewerLog(): ViewerLogEntry[];
  /** Host name:port that always lands on one POP, e.g. nrt57-p1.localhost:PORT. */
  popHost(pop: string): string;
  /** Switches behaviors/policies and bucket CORS at once; purges nothing. */
  apply(config: LabConfig): void;
  /** Adds (uploads) an object from the test stream under a key. */
  upload(key: string): void;
  /** A request from Node to the front (never from a browser): no Origin unless given. */
  request(pathOrUrl: string, options?: { method?: string; headers?: Record<string, string>; pop?: string }): Promise<LabResponse>;
  close(): Promise<void>;
}

function objectFor(key: string, clock: LabClock, cacheControl: LabOptions['cacheControl']): BucketObject {
  const name = path.basename(key);
  const extension = path.extname(name);
  const contentType = CONTENT_TYPES[extension];
  if (!contentType || !(STREAM_FILES as readonly string[]).includes(name)) throw new Error(`the lab bucket holds only the test stream, not ${key}`);
  const cc = cacheControl?.[extension];
  return { body: readFileSync(path.join(mediaDir, name)), contentType, lastModified: clock.now(), ...(cc ? { cacheControl: cc } : {}) };
}

export async function startLab(options: LabOptions): Promise<Lab> {
  const clock = options.clock ?? new LabClock();
  const objects = new Map<string, BucketObject>();
  for (const video of options.videos) {
    for (const file of STREAM_FILES) {
      const key = `${video.replace(/\/?$/, '/')}${file}`;
      if (!options.missing?.includes(key)) objects.set(key, objectFor(key, clock, options.cacheControl));
    }
  }
  const bucket = new S3Bucket(clock, objects, options.config.s3BucketCors);
  const originServer = await startS3Origin(bucket);
  const edge = new CloudFrontEdge({ clock, distribution: options.config.distribution, originPort: originServer.port });
  const edgeServer = await startEdge(edge);
  const front = options.front ?? 'edge';
  const nginx = front === 'nginx' ? await startNginx({ videos: options.videos, ...(options.nginx ? { site: options.nginx } : {}) }) : null;
  const varnish = front === 'varnish' ? await startVarnish({ backendPort: originServer.port, config: options.varnish ?? { key: 'url' } }) : null;
  const port = nginx?.port ?? varnish?.port ?? (front === 'bucket' ? originServer.port : edgeServer.port);
  const bucketLog = (): ViewerLogEntry[] =>
    bucket.received.map((request) => ({
      method: request.method,
      path: new URL(request.url, 'http://bucket').pathname,
      origin: request.headers.origin ?? null,
      fromLabClient: request.headers[LAB_CLIENT_HEADER] !== undefined,
    }));
  return {
    clock,
    bucket,
    edge,
    front,
    nginx,
    varnish,
    origin: `http://localhost:${port}`,
    port,
    // Behind Varnish: what reached the bucket (Varnish's answers from its cache are not logged here).
    viewerLog: () => (nginx ? nginx.log() : front === 'bucket' || front === 'varnish' ? bucketLog() : edge.log),
    popHost: (pop) => `${pop.toLowerCase()}.localhost:${port}`,
    apply(config) {
      edge.setDistribution(config.distribution);
      bucket.setCors(config.s3BucketCors);
    },
    upload(key) {
      objects.set(key, objectFor(key, clock, options.cacheControl));
    },
    request(pathOrUrl, requestOptions = {}) {
      const url = new URL(pathOrUrl, `http://localhost:${port}`);
      return labFetch(port, {
        method: requestOptions.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        host: requestOptions.pop ? `${requestOptions.pop.toLowerCase()}.localhost:${port}` : `localhost:${port}`,
        headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING, 'user-agent': 'cors-lens-lab', [LAB_CLIENT_HEADER]: '1', ...requestOptions.headers },
      });
    },
    async close() {
      await nginx?.close();
      await varnish?.close();
      await edgeServer.close();
      await originServer.close();
    },
  };
}
