import type { Flow, FlowNode, NodeRef, Target } from '../engine/engine.types';
import { actionDefinition } from '../engine/actions';
import { parseTarget, resolveTarget } from '../engine/targets';

/** Every jump target a node writes (choices, next, action targets), as written. */
export function nodeTargets(node: FlowNode): Target[] {
  switch (node.type) {
    case 'menu':
      return node.choices.map((c) => c.go);
    case 'message':
    case 'ask':
      return node.next ? [node.next] : [];
    case 'action': {
      const def = actionDefinition(node.action);
      const own = def?.targets ? def.targets(node.action) : [];
      return def?.leaves ? own : [...own, ...(node.next ? [node.next] : [])];
    }
  }
}

/** i18n keys a node shows. */
export function nodeKeys(node: FlowNode): string[] {
  switch (node.type) {
    case 'message':
      return [node.text];
    case 'menu':
      return [node.text, ...node.choices.flatMap((c) => (c.keywords ? [c.label, c.keywords] : [c.label]))];
    case 'ask':
      return [node.text, node.invalid];
    case 'action': {
      const def = actionDefinition(node.action);
      return def?.keys ? def.keys(node.action) : [];
    }
  }
}

/** Resolves a target; `dropped` nodes (reported elsewhere) count as existing so they are not reported twice. */
export function targetExists(flows: Record<string, Flow>, dropped: Set<string>, from: string, target: Target): boolean {
  if (resolveTarget(flows, from, target)) return true;
  const ref = parseTarget(from, target, (f) => flows[f]?.start || undefined);
  return !!ref && dropped.has(`${ref.flow}/${ref.node}`);
}

export function refKey(ref: NodeRef): string {
  return `${ref.flow}/${ref.node}`;
}

/** Nodes reachable from every flow's start and from the index targets, following every jump. */
export function reachableNodes(flows: Record<string, Flow>, roots: NodeRef[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots, ...Object.values(flows).map((f) => ({ flow: f.id, node: f.start }))];
  while (queue.length > 0) {
    const ref = queue.pop() as NodeRef;
    const node = flows[ref.flow]?.nodes[ref.node];
    if (!node || seen.has(refKey(ref))) continue;
    seen.add(refKey(ref));
    for (const t of nodeTargets(node)) {
      const next = resolveTarget(flows, ref.flow, t);
      if (next) queue.push(next);
    }
  }
  return seen;
}

/**
 * Why a message/action chain starting here never reaches a question or an end, or null when it does
 * (or ends at a broken target, which is reported as such).
 */
export function chainDeadEnd(flows: Record<string, Flow>, dropped: Set<string>, start: NodeRef): string | null {
  const seen = new Set<string>();
  let ref: NodeRef | null = start;
  while (ref) {
    const node: FlowNode | undefined = flows[ref.flow]?.nodes[ref.node];
    if (!node || dropped.has(refKey(ref))) return null;
    if (node.type === 'menu' || node.type === 'ask') return null;
    if (node.type === 'action' && node.action.type === 'end') return null;
    if (seen.has(refKey(ref))) return 'no way out (loops without reaching a question or an end)';
    seen.add(refKey(ref));
    const [next] = node.type === 'action' ? nodeTargets(node) : node.next ? [node.next] : [];
    if (!next) return 'no way out (never reaches a question or an end)';
    ref = resolveTarget(flows, ref.flow, next);
  }
  return null;
}
