/**
 * What each fix step does (FixStepRole), so the steps of several findings merge into one plan
 * (src/engine/plan.ts). The helpers that build shared steps give each its role where they build it;
 * a step without one (a rule's own wording) is a "prevent" step on the rule's layer, its own action.
 */
import type { FixLayer, FixStepKind, FixStepRole, MessageRef, MessageValue } from '../../model.ts';
import type { RuleCategory } from './types.ts';

/** Roles by step object: a step stays a plain MessageRef (exports and goldens keep their shape). */
const ROLES = new WeakMap<MessageRef, FixStepRole>();

/** Gives `step` its role and returns it, for building step lists in place. */
export function withRole(step: MessageRef, kind: FixStepKind, layer: FixLayer, action: string, targets: readonly string[] = [], extra: Pick<FixStepRole, 'vendor' | 'pointer' | 'origin' | 'requestOrigin'> = {}): MessageRef {
  ROLES.set(step, { kind, layer, action, targets: [...targets], ...extra });
  return step;
}

const LAYER_OF_CATEGORY: Readonly<Record<RuleCategory, FixLayer>> = { cors: 'origin', cache: 'cdn-cache', cdn: 'cdn-config' };

/** The role of the first step `value` quotes that has one (depth first, in value order). */
function quotedRole(value: MessageValue): FixStepRole | undefined {
  if (typeof value !== 'object') return undefined;
  if ('items' in value) {
    for (const item of value.items) {
      const role = quotedRole(item);
      if (role) return role;
    }
    return undefined;
  }
  const own = ROLES.get(value);
  if (own) return own;
  for (const inner of Object.values(value.data ?? {})) {
    const role = quotedRole(inner);
    if (role) return role;
  }
  return undefined;
}

/**
 * The role given to `step` where it was built; else the role of a step it quotes whole (a rule's
 * sentence around the S3 CORS configuration is that configuration's step: a bucket has one CORS
 * configuration, put-bucket-cors replaces it); else a prevent step of its own on the rule's layer.
 */
export function roleOfStep(step: MessageRef, category: RuleCategory): FixStepRole {
  const role = quotedRole(step);
  if (role !== undefined) return { ...role, targets: [...role.targets] };
  return { kind: 'prevent', layer: LAYER_OF_CATEGORY[category], action: step.id, targets: [] };
}
