/** The English of the conclusion's and the plan's texts, for the one catalogue (rules/lib/localised.ts COMMON_TEXT). */
import { CAUSE_TEXT, CONCLUSION_TEXT } from './conclusion.ts';
import { PLAN_TEXT } from './plan.ts';

export const ANSWER_TEXT: Readonly<Record<string, string>> = { ...CONCLUSION_TEXT, ...CAUSE_TEXT, ...PLAN_TEXT };
