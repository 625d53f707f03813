/**
 * Apideck's Webhook API specification (`openapi/webhook.yml`, Apache-2.0),
 * loaded into openapi-backend: the stand-in routes and validates requests with
 * it, and the tests validate every answer with it.
 */
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';

/** Path of the copied specification. */
const WEBHOOK_API_SPEC_PATH = join(import.meta.dirname, 'openapi', 'webhook.yml');

let loaded: Promise<OpenAPIBackend> | undefined;

/**
 * The specification, loaded and dereferenced once per process (about a second
 * of work); `date-time` and `uri` formats are checked. Routing and validation
 * keep no state, so one instance serves every caller.
 */
export function loadWebhookApiSpec(): Promise<OpenAPIBackend> {
  loaded ??= new OpenAPIBackend({
    definition: WEBHOOK_API_SPEC_PATH,
    strict: true,
    validate: true,
    quick: false,
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  }).init();
  return loaded;
}
