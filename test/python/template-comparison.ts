/**
 * Compares two synthesized templates of one stack: every resource by logical
 * id (its type, properties, dependencies, policies and metadata, which holds
 * the construct path and the cdk-nag acknowledgements) and every template
 * section (description, parameters, rules, conditions, mappings, outputs).
 * Both apps build the same construct tree, so their logical ids match, and
 * nothing in these templates is random: the function's code is the prebuilt
 * asset, named by the hash of its bytes, so even the S3 key compares equal.
 */

/** The parts of a template the comparison reads. */
export interface CloudFormationTemplate {
  readonly Description?: string;
  readonly Resources: Readonly<Record<string, TemplateResource>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Rules?: Readonly<Record<string, unknown>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Mappings?: Readonly<Record<string, unknown>>;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly [attribute: string]: unknown;
}

/** One place where the templates differ, as a path into the template. */
export interface TemplateDifference {
  readonly path: string;
  readonly reference: unknown;
  readonly candidate: unknown;
}

/** How many resources of each CloudFormation type a template has. */
export function resourceCounts(template: CloudFormationTemplate): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The construct path CDK records on a resource (`Stack/Construct/.../Resource`). */
export function constructPath(resource: TemplateResource): string {
  const path = resource.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : '';
}

/** A template with only the resources whose construct path `keep` accepts. */
export function filterResources(
  template: CloudFormationTemplate,
  keep: (path: string) => boolean,
): CloudFormationTemplate {
  return {
    ...template,
    Resources: Object.fromEntries(
      Object.entries(template.Resources).filter(([, resource]) => keep(constructPath(resource))),
    ),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diff(
  path: string,
  reference: unknown,
  candidate: unknown,
  out: TemplateDifference[],
): void {
  if (Array.isArray(reference) && Array.isArray(candidate)) {
    if (reference.length !== candidate.length) {
      out.push({
        path: `${path}.length`,
        reference: reference.length,
        candidate: candidate.length,
      });
      return;
    }
    reference.forEach((item, index) => {
      diff(`${path}[${index}]`, item, candidate[index], out);
    });
    return;
  }
  if (isObject(reference) && isObject(candidate)) {
    const keys = new Set([...Object.keys(reference), ...Object.keys(candidate)]);
    for (const key of [...keys].sort()) diff(`${path}.${key}`, reference[key], candidate[key], out);
    return;
  }
  if (reference !== candidate) out.push({ path, reference, candidate });
}

const SECTIONS = [
  'Description',
  'Parameters',
  'Rules',
  'Conditions',
  'Mappings',
  'Outputs',
] as const;

/** Every difference between two templates, in a stable order; none means the same template. */
export function compareTemplates(
  reference: CloudFormationTemplate,
  candidate: CloudFormationTemplate,
): TemplateDifference[] {
  const out: TemplateDifference[] = [];
  for (const section of SECTIONS) diff(section, reference[section], candidate[section], out);
  diff('Resources', reference.Resources, candidate.Resources, out);
  return out;
}
