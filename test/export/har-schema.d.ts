/** har-schema ships JSON Schemas without types: one draft-06 schema per HAR object, keyed by name. */
declare module 'har-schema' {
  const schemas: Record<string, object> & { har: object };
  export default schemas;
}
