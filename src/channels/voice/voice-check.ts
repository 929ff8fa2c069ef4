import type { FlowSet } from '../../engine/engine.types';

/** Keys 1–8 are choices on the phone: 9 is "talk to a person", 0 the main menu. */
export const VOICE_MAX_CHOICES = 8;

/** `flows:check`: every menu must fit the keypad (its SMS numbers are its keys). */
export function voiceMenuProblems(flowSet: FlowSet): string[] {
  const problems: string[] = [];
  for (const flow of Object.values(flowSet.flows)) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type === 'menu' && node.choices.length > VOICE_MAX_CHOICES) {
        problems.push(`${flow.file}: node "${node.id}": ${node.choices.length} choices, the phone keypad takes at most ${VOICE_MAX_CHOICES} (9 is "talk to a person", 0 the menu)`);
      }
    }
  }
  return problems;
}
