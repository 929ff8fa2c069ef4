import type { FlowSet, NodeRef, Target } from './engine.types';

/**
 * Reads a jump target as written in YAML: `node_id` (same flow), `@flow_id` (that flow's start)
 * or `@flow_id/node_id`. Returns null when the flow or node does not exist, so callers decide
 * what a broken target means (the content check reports it; the engine falls back home).
 */
export function resolveTarget(
  flows: FlowSet['flows'],
  fromFlow: string,
  target: Target | undefined,
): NodeRef | null {
  if (typeof target !== 'string' || target.length === 0) return null;
  const ref = parseTarget(fromFlow, target, (flow) => flows[flow]?.start);
  if (!ref) return null;
  return flows[ref.flow]?.nodes[ref.node] ? ref : null;
}

/** Splits a target into flow and node without checking that they exist (`start` looks up a flow's start). */
export function parseTarget(
  fromFlow: string,
  target: string,
  start: (flow: string) => string | undefined,
): NodeRef | null {
  if (!target.startsWith('@')) return { flow: fromFlow, node: target };
  const [flow, node, ...rest] = target.slice(1).split('/');
  if (!flow || rest.length > 0) return null;
  if (node !== undefined) return node ? { flow, node } : null;
  const first = start(flow);
  return first ? { flow, node: first } : null;
}

export function sameRef(a: NodeRef | undefined, b: NodeRef | undefined): boolean {
  return !!a && !!b && a.flow === b.flow && a.node === b.node;
}
