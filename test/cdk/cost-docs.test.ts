import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COST_DOC, costDocument } from '../../cli/cost/docs/document.ts';

describe('docs/cost.md', () => {
  it('is what `npm run cost -- --write-docs` writes from the templates synthesized now', () => {
    const written = readFileSync(COST_DOC, 'utf8');
    expect(written, 'docs/cost.md is stale: run `npm run cost -- --write-docs`').toBe(
      costDocument(),
    );
  });
});
