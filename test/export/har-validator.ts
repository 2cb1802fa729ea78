import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import harSchemas from 'har-schema';
import draft06 from 'ajv/lib/refs/json-schema-draft-06.json' with { type: 'json' };

/** A validator for HAR 1.2 built from the har-schema package (the schema har-validator uses). */
function harValidator(): (har: unknown) => string[] {
  // har-schema has non-standard keywords ("optional", "min", "unique"); strict mode would reject them.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // har-schema is written in JSON Schema draft-06; Ajv 8 ships that meta-schema but does not load it by default.
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  for (const [name, schema] of Object.entries(harSchemas)) {
    if (name !== 'har') ajv.addSchema(schema);
  }
  const validate = ajv.compile(harSchemas.har);
  return (har) => (validate(har) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));
}

/** The schema errors of a HAR ([] when valid). */
export const validateHar = harValidator();
