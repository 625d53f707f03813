import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_URL, docsUrl } from '../../../lambda/contract/docs.ts';

const PROJECT_ROOT = path.join(import.meta.dirname, '..', '..', '..');

/** Where the text an operator reads comes from: alarm descriptions, dashboards, messages. */
const PRODUCT_FOLDERS = ['lib', 'lambda', 'cli'];

function productSources(): { readonly file: string; readonly text: string }[] {
  return PRODUCT_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(folder, file))
      .map((file) => ({ file, text: readFileSync(path.join(PROJECT_ROOT, file), 'utf8') })),
  );
}

/** The lines of a source that are code, not comments. */
function codeLines(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line));
}

describe('docsUrl', () => {
  it("points into the docs folder of package.json's repository", () => {
    const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      repository: { url: string };
    };
    const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(DOCS_URL).toMatch(new RegExp(`^${repository.replaceAll('.', '\\.')}/blob/[^/]+/docs$`));
  });

  it('makes the absolute URL of a page', () => {
    expect(docsUrl('runbook.md')).toBe(`${DOCS_URL}/runbook.md`);
  });

  it('is only given pages that exist in docs/', () => {
    const pages = productSources().flatMap(({ text }) =>
      [...text.matchAll(/docsUrl\('([^']+)'\)/g)].map((match) => match[1] as string),
    );
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.filter((page) => !existsSync(path.join(PROJECT_ROOT, 'docs', page)))).toEqual([]);
  });
});

describe('the text an operator reads', () => {
  it('links to the docs by absolute URL, never by a path into the repository', () => {
    const relative = productSources().flatMap(({ file, text }) =>
      codeLines(text)
        .filter((line) => /(?<![\w/.-])docs\/[\w-]+\.md/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(relative).toEqual([]);
  });
});
