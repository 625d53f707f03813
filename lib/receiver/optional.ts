/**
 * `{ [key]: value }`, or `{}` when the value is undefined: with
 * `exactOptionalPropertyTypes` an optional CDK prop must be left out, not set
 * to `undefined`.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
