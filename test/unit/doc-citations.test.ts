import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Comments cite only what the repository holds: no section numbers of the specs the project was built from
 * (they live outside it), no spec file names, mapping decisions (`D14`) only when docs/mapping-decisions.md
 * defines them, and `docs/<page>.md#<anchor>` only when that page has that heading. Pure file reading: no server.
 */

const root = resolve(__dirname, '..', '..');
const scannedDirs = ['src', 'test', 'bench', 'scripts'];

interface Comment {
  file: string;
  line: number;
  text: string;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every comment of a file, found through the TypeScript parser so strings and template literals never count. */
function commentsOf(path: string): Comment[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const seen = new Set<number>();
  const comments: Comment[] = [];
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      comments.push({
        file: relative(root, path),
        line: source.getLineAndCharacterOfPosition(range.pos).line + 1,
        text: text.slice(range.pos, range.end),
      });
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    ts.forEachChild(node, visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return comments;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const title = fenced ? undefined : /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (title === undefined) continue;
    const slug = title
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = counts.get(slug) ?? 0;
    counts.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

const comments = scannedDirs.flatMap((dir) => tsFiles(join(root, dir))).flatMap(commentsOf);
const where = (c: Comment) => `${c.file}:${c.line}`;

describe('comments cite the repository, not the specs outside it', () => {
  it('finds the comments it checks', () => {
    expect(comments.length).toBeGreaterThan(500);
  });

  it('cite no spec section (§)', () => {
    expect(comments.filter((c) => c.text.includes('§')).map(where)).toEqual([]);
  });

  it('name no spec file outside the repository', () => {
    const outside = /(\.\.\/shared|\bspec\/|shopkit-api\.md|shopimind-api\.md|shopimind-integration\.md|\bmapping\.md)/;
    expect(comments.filter((c) => outside.test(c.text)).map(where)).toEqual([]);
  });

  it('cite only mapping decisions docs/mapping-decisions.md defines', () => {
    const decisions = readFileSync(join(root, 'docs', 'mapping-decisions.md'), 'utf8');
    const defined = new Set([...decisions.matchAll(/^\|\s*(D\d+)\s*\|/gm)].map((m) => m[1]));
    expect(defined.size).toBeGreaterThan(0);
    const undefinedCitations = comments.flatMap((c) =>
      [...c.text.matchAll(/\bD\d+\b/g)].filter((m) => !defined.has(m[0])).map((m) => `${where(c)} ${m[0]}`),
    );
    expect(undefinedCitations).toEqual([]);
  });

  it('link docs pages and headings that exist', () => {
    const anchors = new Map<string, Set<string> | undefined>();
    const anchorsFor = (page: string) => {
      if (!anchors.has(page)) {
        const path = join(root, 'docs', page);
        anchors.set(page, existsSync(path) ? anchorsOf(readFileSync(path, 'utf8')) : undefined);
      }
      return anchors.get(page);
    };
    const broken = comments.flatMap((c) =>
      [...c.text.matchAll(/docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)]
        .filter(([, page = '', anchor]) => {
          const known = anchorsFor(page);
          return known === undefined || (anchor !== undefined && !known.has(anchor));
        })
        .map((m) => `${where(c)} ${m[0]}`),
    );
    expect(broken).toEqual([]);
  });
});
