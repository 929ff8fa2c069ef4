import type { LoadedContent } from '../../src/content/content.types';
import type { Output } from '../../src/engine/engine.types';
import { isWaiting, questionOutput } from '../../src/engine/turn';

/**
 * What every node of every flow says when it is reached (messages) or asks (menus, questions), with
 * sample values for its variables: the list the voice tests walk, so a new node is heard-checked at once.
 */
export function everyNodeOutput(content: Pick<LoadedContent, 'flowSet'>): [string, Output][] {
  const out: [string, Output][] = [];
  for (const flow of Object.values(content.flowSet.flows)) {
    for (const node of Object.values(flow.nodes)) {
      if (isWaiting(node)) out.push([`${flow.id}/${node.id}`, questionOutput(node, 1, { own_number: '1', open_callback: 'K7P2' })]);
      else if (node.type === 'message') out.push([`${flow.id}/${node.id}`, { text: node.text, ...(node.params ? { params: Object.fromEntries(node.params.map((p) => [p, 'x'])) } : {}) }]);
    }
  }
  return out;
}
