/**
 * The project's documentation online. Alarm descriptions, dashboard text and
 * error messages link to it by absolute URL: they are read in the AWS console,
 * a terminal or a CDK error, where a path into this repository means nothing.
 * The repository is package.json's `repository` (a test keeps the two equal).
 */
export const DOCS_URL =
  'https://github.com/apideck-webhooks-aws/apideck-webhooks-aws/blob/main/docs';

/** The absolute URL of a page of `docs/`, e.g. `docsUrl('runbook.md')`. */
export function docsUrl(page: string): string {
  return `${DOCS_URL}/${page}`;
}
