import type { ActionSpec, ActionType } from '../engine.types';
import type { ActionDefinition, ActionOutcome, ActionState } from './action.types';
import { branchAction } from './branch.action';
import { changeCallbackAction } from './change-callback.action';
import { endAction } from './end.action';
import { eraseMeAction } from './erase-me.action';
import { giveConsentAction } from './give-consent.action';
import { goToAction } from './go-to.action';
import { optInAction } from './opt-in.action';
import { optOutAction } from './opt-out.action';
import { requestCallbackAction } from './request-callback.action';
import { requestReturnCallAction } from './request-return-call.action';
import { setLanguageAction } from './set-language.action';
import { setListenModeAction } from './set-listen-mode.action';
import { setProactiveAction } from './set-proactive.action';
import { renewNewsAction } from './renew-news.action';
import { stopNewsAction } from './stop-news.action';
import { subscribeNewsAction } from './subscribe-news.action';
import { withdrawConsentAction } from './withdraw-consent.action';

export type { ActionDefinition, ActionOutcome, ActionState } from './action.types';

/** Every action type, keyed by the `type` written in YAML. The mapped type makes a missing one a compile error. */
export const actionRegistry: { [T in ActionType]: ActionDefinition<T> } = {
  set_language: setLanguageAction,
  go_to: goToAction,
  request_callback: requestCallbackAction,
  change_callback: changeCallbackAction,
  give_consent: giveConsentAction,
  branch: branchAction,
  opt_out: optOutAction,
  opt_in: optInAction,
  erase_me: eraseMeAction,
  withdraw_consent: withdrawConsentAction,
  set_proactive: setProactiveAction,
  request_return_call: requestReturnCallAction,
  set_listen_mode: setListenModeAction,
  subscribe_news: subscribeNewsAction,
  stop_news: stopNewsAction,
  renew_news: renewNewsAction,
  end: endAction,
};

export function isActionType(type: unknown): type is ActionType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(actionRegistry, type);
}

export function actionDefinition(spec: ActionSpec): ActionDefinition | undefined {
  return isActionType(spec.type) ? (actionRegistry[spec.type] as unknown as ActionDefinition) : undefined;
}

/** Runs an action; an unknown type (only possible with unchecked content) does nothing. */
export function runAction(spec: ActionSpec, state: ActionState): ActionOutcome | null {
  const def = actionDefinition(spec);
  return def ? def.run(spec, state) : null;
}
