import type { ActionDefinition } from './action.types';

/**
 * Goes to `go` when the shell reported `fact` for this step, else on to `next`. The engine cannot
 * look anything up itself (e.g. whether she already has an open callback request); the shell passes
 * such facts in with the input, as plain strings.
 */
export const branchAction: ActionDefinition<'branch'> = {
  type: 'branch',
  leaves: false,
  run(spec, { facts }) {
    return facts[spec.fact] ? { events: [], jump: spec.go } : { events: [] };
  },
  targets(spec) {
    return [spec.go];
  },
  check(spec) {
    const problems: string[] = [];
    if (typeof spec.fact !== 'string' || !/^[a-z_]+$/.test(spec.fact)) problems.push('branch needs "fact" (snake_case)');
    if (typeof spec.go !== 'string' || !spec.go) problems.push('branch needs "go"');
    return problems;
  },
};
