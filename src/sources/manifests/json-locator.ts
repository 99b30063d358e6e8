/**
 * Lines of fields in a JSON text, from its index (json-index.ts): the line of each element of a kubectl List
 * and a locator per parsed value.
 */
import type { LineLocator } from '../../core/model.js';
import { ESCAPED_KEY, MAP, SEQ } from './node-tree.js';
import type { NodeTree } from './node-tree.js';
import { indexJsonText } from './json-index.js';

export class JsonLocator {
  private readonly tree: NodeTree;

  /** `tree`: the text's index when it was built elsewhere (json-index-offload.ts). */
  constructor(
    private readonly text: string,
    tree?: NodeTree,
  ) {
    this.tree = tree ?? indexJsonText(text);
  }

  /** Node and line of each element of the top-level `items` array (kubectl List), or of a top-level array. */
  topLevelElements(): { node: number; line: number }[] {
    const { kind, end, line } = this.tree;
    let arr = 0;
    if (kind[0] === MAP) {
      arr = -1;
      for (let k = 1; k < end[0] && end[k] < end[0]; k = end[end[k]]) {
        if (this.isItemsKey(k)) {
          arr = end[k];
          break;
        }
      }
      if (arr === -1) return [];
    }
    const out: { node: number; line: number }[] = [];
    if (kind[arr] !== SEQ) return out;
    for (let c = arr + 1; c < end[arr]; c = end[c]) out.push({ node: c, line: line[c] });
    return out;
  }

  private isItemsKey(k: number): boolean {
    const { keyStart, keyEnd, kind } = this.tree;
    if (kind[k] === ESCAPED_KEY) return (JSON.parse(this.text.slice(keyStart![k], keyEnd![k])) as string) === 'items';
    return keyEnd![k] - keyStart![k] === 7 && this.text.startsWith('items', keyStart![k] + 1);
  }

  /** Line of the root node (the first value of the text). */
  get rootLine(): number {
    return this.tree.line[0];
  }

  /** A locator for `value`, parsed from the text at node `node` (0: the whole text). */
  locatorFor(value: unknown, node: number, line: number): LineLocator {
    const tree = this.tree;
    return (pointer) => tree.locate(node, value, pointer) ?? line;
  }
}
