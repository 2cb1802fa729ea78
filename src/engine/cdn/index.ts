/** CDN and storage fingerprints (data from signatures.json) and the fix vocabulary of docs/cdn-behaviour.md. */
export { cacheStatusLabel, cacheStatusOf, cacheVendorLabel, cdnFactsOf, responseIdOf } from './facts.ts';
export type { CacheStatusReading, CdnFacts, CorsHeaderLayer, HeaderEvidence } from './facts.ts';
export { VENDORS, VARY_ORIGIN_HANDLING, headerNamesOf, isServedFromCache, keepsCopiesPerOrigin, vendorById } from './vendors.ts';
export type { CacheStatus, Vendor, VaryOriginHandling } from './vendors.ts';
export { storageFactsOf, varyTokensOf, S3_VARY_TRIPLE } from './storage.ts';
export type { StorageFacts, StorageService } from './storage.ts';
export * from './cloudfront-policies.ts';
export { bucketOf, curlWithOrigin, invalidationPathOf, numberedSteps, pathOfUrl, purgeInstruction, s3CorsFix, varyFixFor } from './fixes.ts';
