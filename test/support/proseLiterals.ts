import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** A string in the source that reads like words for a person, with where it is. */
export interface ProseLiteral {
  /** Repository-relative path with forward slashes. */
  file: string;
  line: number;
  /** The literal's text with any HTML tags and `${…}` holes taken out. */
  text: string;
  /** The call or `new` expression the literal is an argument of (`logger.warn`, `sendProblem`), if any. */
  callee?: string;
}

/** Three words in a row, the first of them capitalised or not: "Please try again", "is closed; the". */
const prose = /[A-Za-z][a-z’']*[,;:]? [a-z][a-z’']*[,;:]? [a-z][a-z’']*/;

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourcesUnder(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** The visible words of a literal: markup, entities and template holes removed. */
function visible(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function calleeOf(node: ts.Node): string | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isCallExpression(at) || ts.isNewExpression(at)) return at.expression.getText().replace(/\s+/g, '');
    if (ts.isBlock(at) || ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

function templateText(node: ts.TemplateExpression): string {
  return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' … ');
}

/**
 * Every string and template literal under `folders` (test files excepted) whose text, once markup is
 * taken out, has three words in a row: the candidates for words a professional reads. Read with the
 * compiler, so comments and JSDoc never count.
 */
export function proseLiterals(root: string, folders: string[]): ProseLiteral[] {
  const found: ProseLiteral[] = [];
  for (const path of folders.flatMap((folder) => sourcesUnder(join(root, folder)))) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const raw = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : ts.isTemplateExpression(node) ? templateText(node) : undefined;
      if (raw !== undefined && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
        const text = visible(raw);
        if (prose.test(text)) {
          const callee = calleeOf(node);
          found.push({
            file: relative(root, path).split('\\').join('/'),
            line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
            text,
            ...(callee ? { callee } : {}),
          });
        }
      }
      if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
      else node.templateSpans.forEach((span) => visit(span.expression));
    };
    visit(source);
  }
  return found;
}
