// TODO(protocol move): messages.ts takes PackedRows from here; once it lives in src/view/ this file goes.
export type { PackedRows } from '../view/row-facts.ts';
