/** What a lab scenario is: a configuration, a history played against the lab, a player, and the causes CORS Lens must name. */
import type { BehaviorConfig, LabConfig, S3CorsRule } from '../config.ts';
import type { Lab, LabOptions } from '../lab.ts';

export interface ScenarioContext {
  /** The page origin the player runs on (the e2e page server, e.g. http://127.0.0.1:41234). */
  pageOrigin: string;
}

/** What CORS Lens showed after the first play: each card's cause and fix text (a fix may apply what was printed). */
export interface ShownDiagnosis {
  findings: ReadonlyArray<{ cause: string; fix: string }>;
}

/** What the page's player does besides plain hls.js, the way an hls.js `xhrSetup` or page script would. */
export interface PlayerSetup {
  /** Custom request headers on every hls.js request (xhrSetup → xhr.setRequestHeader): they need a preflight. */
  requestHeaders?: Record<string, string>;
  /** xhr.withCredentials = true (xhrSetup), e.g. for CloudFront signed cookies. */
  withCredentials?: boolean;
  /** Files of the stream the page fetches first without CORS (fetch mode 'no-cors', like an <img> or <video> without crossorigin). */
  prefetchWithoutCors?: string[];
}

export interface LabScenario {
  /** Stable id; the cause id for one-cause scenarios. */
  id: string;
  /** R1…R12 of docs/cdn-behaviour.md#root-causes, or 'incident'. */
  reference: string;
  title: string;
  /** The history the scenario plays, in plain words (what happened before the player loads). */
  history: string;
  /** Cause ids (docs/causes.md / rule meta.cause) the popup must name. */
  expectedCauses: string[];
  /** Causes the popup may name as well, each with why that is right. */
  alsoNamed?: Record<string, string>;
  player: 'hls.js' | 'native';
  playerSetup?: PlayerSetup;
  /** The video folder in the bucket; the player loads `<video>stream.m3u8`. */
  video: string;
  /** The lab as it is when the history starts. */
  lab(context: ScenarioContext): Omit<LabOptions, 'videos' | 'clock'>;
  /** Plays the history against the lab (Node requests, config switches, clock moves). */
  prepare(lab: Lab, context: ScenarioContext): Promise<void>;
  /**
   * The fix, applied before the player plays once more; afterwards no request fails and no card is an
   * error or warning, except the warnings listed in `stillWarned` (cause → why).
   */
  fix?: { description: string; apply(lab: Lab, context: ScenarioContext, shown: ShownDiagnosis): Promise<void> | void; stillWarned?: Record<string, string> };
}

export const DOMAIN = 'd16ufd393m7gss.cloudfront.net';

/** The incident's bucket CORS (config.json): any origin, GET and HEAD, any header. */
export const S3_ANY_ORIGIN: S3CorsRule[] = [{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['*'], ExposeHeaders: [] }];

export function behavior(pathPattern: string, cachePolicy: string, originRequestPolicy: string | null = null, responseHeadersPolicy: string | null = null, extra: Partial<BehaviorConfig> = {}): BehaviorConfig {
  return { pathPattern, cachePolicy, originRequestPolicy, responseHeadersPolicy, ...extra };
}

export function labConfig(description: string, behaviors: BehaviorConfig[], s3BucketCors: S3CorsRule[] | null, pops?: string[]): LabConfig {
  return { description, distribution: { domain: DOMAIN, behaviors, ...(pops ? { pops } : {}) }, s3BucketCors };
}

/** Sends the stream's files from Node (never from a browser) to fill the edge cache, as an earlier client did. */
export async function prewarm(lab: Lab, video: string, files: readonly string[], options: { origin?: string; pop?: string } = {}): Promise<void> {
  for (const file of files) {
    const response = await lab.request(`${video}${file}`, { headers: options.origin ? { origin: options.origin } : {}, ...(options.pop ? { pop: options.pop } : {}) });
    if (response.status >= 500) throw new Error(`pre-warm of ${file} failed: ${response.status}`);
  }
}
