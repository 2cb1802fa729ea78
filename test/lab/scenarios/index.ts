/** Every lab scenario: one per cause of DESIGN §4 that can occur on CloudFront + S3, then the incident. */
import { CAUSE_SCENARIOS } from './causes.ts';
import { INCIDENT } from './incident.ts';
import type { LabScenario } from './types.ts';

export const LAB_SCENARIOS: readonly LabScenario[] = [...CAUSE_SCENARIOS, INCIDENT];

export function scenarioNamed(id: string): LabScenario {
  const scenario = LAB_SCENARIOS.find((candidate) => candidate.id === id);
  if (!scenario) throw new Error(`no lab scenario "${id}"; there are ${LAB_SCENARIOS.map((s) => s.id).join(', ')}`);
  return scenario;
}

export { INCIDENT } from './incident.ts';
export type { LabScenario, ScenarioContext, PlayerSetup } from './types.ts';
