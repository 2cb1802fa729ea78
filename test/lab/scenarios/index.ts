/**
 * Every lab scenario: one per cause of docs/causes.md that can occur on CloudFront + S3, the origin without
 * CORS per origin kind the lab serves (bucket, bucket behind the edge, real nginx), then the incident.
 */
import { CAUSE_SCENARIOS } from './causes.ts';
import { INCIDENT } from './incident.ts';
import { ORIGIN_WITHOUT_CORS_SCENARIOS } from './origin-without-cors.ts';
import type { LabScenario } from './types.ts';

export const LAB_SCENARIOS: readonly LabScenario[] = [...CAUSE_SCENARIOS, ...ORIGIN_WITHOUT_CORS_SCENARIOS, INCIDENT];

/** The scenarios an id names: the one with that id, or every one whose id starts with `<id>-` (e.g. no-cors-config). */
export function scenariosNamed(id: string): LabScenario[] {
  const exact = LAB_SCENARIOS.filter((candidate) => candidate.id === id);
  const group = exact.length > 0 ? exact : LAB_SCENARIOS.filter((candidate) => candidate.id.startsWith(`${id}-`));
  if (group.length === 0) throw new Error(`no lab scenario "${id}"; there are ${LAB_SCENARIOS.map((s) => s.id).join(', ')}`);
  return group;
}

export { INCIDENT } from './incident.ts';
export type { LabScenario, ScenarioContext, PlayerSetup, ShownDiagnosis } from './types.ts';
