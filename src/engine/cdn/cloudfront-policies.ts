/** CloudFront managed policies the fixes name, with their IDs (docs/cdn-behaviour.md#cloudfront-managed-policies; [P] CF-GUIDE, CDK). */

export interface ManagedPolicy {
  type: 'cache policy' | 'origin request policy' | 'response headers policy';
  name: string;
  id: string;
}

export const CACHING_DISABLED: ManagedPolicy = { type: 'cache policy', name: 'CachingDisabled', id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' };
export const CACHING_OPTIMIZED: ManagedPolicy = { type: 'cache policy', name: 'CachingOptimized', id: '658327ea-f89d-4fab-a63d-7e88639e58f6' };
/** Keys on Origin (and forwards it); 24 h default TTL. */
export const ELEMENTAL_MEDIAPACKAGE: ManagedPolicy = {
  type: 'cache policy',
  name: 'Elemental-MediaPackage',
  id: '08627262-05a9-4f76-9ded-b50ca2e3a84f',
};
/** Forwards Origin, Access-Control-Request-Headers and Access-Control-Request-Method. */
export const CORS_S3_ORIGIN: ManagedPolicy = { type: 'origin request policy', name: 'CORS-S3Origin', id: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf' };
export const CORS_CUSTOM_ORIGIN: ManagedPolicy = { type: 'origin request policy', name: 'CORS-CustomOrigin', id: '59781a5b-3903-41f3-afcb-af62929ccde1' };
export const SIMPLE_CORS: ManagedPolicy = { type: 'response headers policy', name: 'SimpleCORS', id: '60669652-455b-4ae9-85a4-c4c02393f86c' };
export const CORS_WITH_PREFLIGHT: ManagedPolicy = { type: 'response headers policy', name: 'CORS-With-Preflight', id: '5cc3b908-e619-4b99-88e5-2cf7f45965bd' };
export const CORS_WITH_PREFLIGHT_AND_SECURITY_HEADERS: ManagedPolicy = {
  type: 'response headers policy',
  name: 'CORS-with-preflight-and-SecurityHeadersPolicy',
  id: 'eaab4381-ed33-4a86-88ca-d9558dc6cd63',
};
export const CORS_AND_SECURITY_HEADERS: ManagedPolicy = {
  type: 'response headers policy',
  name: 'CORS-and-SecurityHeadersPolicy',
  id: 'e61eb60c-9c35-4d20-a928-2b84e02af89c',
};
