import { isAlias, isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';

/** A 1-based place in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where the field at `path` is written in a parsed YAML document: its value, or with
 * `at: 'key'` its key (where an unknown key is reported). A path that is not in the document
 * (a missing field) points at the key of the deepest enclosing field that is.
 *
 * @param doc The document from `parseDocument(text, { lineCounter })`.
 * @param lineCounter The counter given to `parseDocument`.
 * @param path Field path: `['layers', 2, 'units']`.
 * @param at Whether to point at the field's value (default) or its key.
 *
 * @example yamlPosition(doc, lineCounter, ['optim', 'lr']) // => { line: 12, column: 7 }
 */
export function yamlPosition(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  at: 'key' | 'value' = 'value',
): SourcePosition {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let complete = true;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    const pair = isMap(node)
      ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      : undefined;
    const item = isSeq(node) ? node.items[Number(segment)] : undefined;
    if (pair) {
      key = pair.key as Node;
      node = pair.value;
    } else if (item !== undefined) {
      key = undefined;
      node = item;
    } else {
      complete = false;
      break;
    }
  }
  const target = complete && (at === 'value' || !key) && isNode(node) ? node : (key ?? node);
  const offset = isNode(target) && target.range ? target.range[0] : 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
