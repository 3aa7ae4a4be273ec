/**
 * Validates a content pack file and reports every finding at once: each record is checked on its
 * own (one bad record never hides another), then the rules that span records.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Finding, FindingCode } from '../../../shared/content/findings';
import { rubricDimensionSchema, rubricSchema } from '../../../shared/drills/evaluation';
import { formatPath } from '../../../shared/errors';
import {
  contentPackSchema,
  drillPackSchema,
  packDomainSchema,
  packHeaderSchema,
  PACK_LIMITS,
  packSkillSchema,
  payloadSchemaByType,
  questionCommonSchema,
  questionSchemaByType,
  questionTypes,
  type ContentPack,
  type PackDomain,
  type PackQuestion,
  type PackSkill,
  type QuestionType,
} from '../../../shared/content/pack';

/** The largest pack file accepted: 64 MiB, about 200,000 questions; checked before anything is parsed. */
export const MAX_PACK_BYTES = 64 * 1024 * 1024;
/** Findings listed per severity; beyond this one `too_many_findings` entry says how many more there were. */
export const MAX_FINDINGS_PER_SEVERITY = 10_000;

export interface ValidationReport {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  errors: Finding[];
  warnings: Finding[];
  /** The parsed pack with defaults filled in; null when there is any error. */
  pack: ContentPack | null;
  /** SHA-256 (hex) of the file's bytes as given. */
  sha256: string;
  byteLength: number;
}

type Json = Record<string, unknown>;

const rootKeys = new Set(Object.keys(contentPackSchema.shape));
const headerKeys = new Set(Object.keys(packHeaderSchema.shape));
const domainKeys = new Set(Object.keys(packDomainSchema.shape));
const skillKeys = new Set(Object.keys(packSkillSchema.shape));
const questionKeys = new Set([...Object.keys(questionCommonSchema.shape), 'type', 'payload']);
const payloadKeys: Record<QuestionType, Set<string>> = {
  mcq_single: new Set(Object.keys(payloadSchemaByType.mcq_single.shape)),
  reorder_steps: new Set(Object.keys(payloadSchemaByType.reorder_steps.shape)),
};
const drillKeys = new Set(Object.keys(drillPackSchema.shape));
const drillMetadataKeys = new Set(Object.keys(drillPackSchema.shape.metadata.shape));
const drillQuestionKeys = new Set(Object.keys(drillPackSchema.shape.questions.element.shape));
const rubricKeys = new Set(Object.keys(rubricSchema.shape));
const rubricDimensionKeys = new Set(Object.keys(rubricDimensionSchema.shape));

/** Collects findings, bounded so a file full of mistakes cannot exhaust memory. */
class Findings {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];
  private droppedErrors = 0;
  private droppedWarnings = 0;

  error(path: string, code: FindingCode, message: string, suggestion?: string): void {
    if (this.errors.length < MAX_FINDINGS_PER_SEVERITY) this.errors.push(finding(path, code, message, suggestion));
    else this.droppedErrors += 1;
  }

  warning(path: string, code: FindingCode, message: string): void {
    if (this.warnings.length < MAX_FINDINGS_PER_SEVERITY) this.warnings.push(finding(path, code, message));
    else this.droppedWarnings += 1;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  finish(): { errors: Finding[]; warnings: Finding[] } {
    if (this.droppedErrors > 0) {
      this.errors.push(finding('', 'too_many_findings', `${this.droppedErrors} more errors were not listed`));
    }
    if (this.droppedWarnings > 0) {
      this.warnings.push(finding('', 'too_many_findings', `${this.droppedWarnings} more warnings were not listed`));
    }
    return { errors: this.errors, warnings: this.warnings };
  }
}

function finding(path: string, code: FindingCode, message: string, suggestion?: string): Finding {
  return suggestion === undefined ? { path, code, message } : { path, code, message, suggestion };
}

/**
 * Checks a pack file (its bytes, or its text) against the format and every rule, and returns all
 * errors and warnings together with the parsed pack (defaults filled in) when there is no error.
 */
export function validatePackText(input: string | Buffer): ValidationReport {
  return checkPackFile(input).report;
}

export interface CheckedPackFile {
  report: ValidationReport;
  /** The file's JSON as parsed, unchanged (undefined when it could not be parsed): what the findings' paths point into. */
  root: unknown;
}

export interface CheckOptions {
  /**
   * Leave `report.pack` null even when the file has no error; `packOf(root)` builds it when it is needed. The report of a
   * 100k-question pack then comes ~0.3 s sooner: the validated questions are not kept while the rest is checked, so
   * the garbage collector does not copy them (measured: the check is ~20 % shorter).
   */
  deferPack?: boolean;
}

/** validatePackText, also handing back the parsed JSON (the workspace names each finding's record from it). */
export function checkPackFile(input: string | Buffer, options: CheckOptions = {}): CheckedPackFile {
  const findings = new Findings();
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  const sha256 = createHash('sha256').update(input).digest('hex');
  const checked = (pack: ContentPack | null, root?: unknown): CheckedPackFile => {
    const { errors, warnings } = findings.finish();
    return { report: { ok: errors.length === 0, errors, warnings, pack: errors.length === 0 ? pack : null, sha256, byteLength }, root };
  };

  const tooLarge = tooLargeFinding(byteLength);
  if (tooLarge) {
    findings.error(tooLarge.path, tooLarge.code, tooLarge.message);
    return checked(null);
  }

  const text = decodeText(input);
  if (text === null) {
    findings.error('', 'invalid_encoding', 'The file is not valid UTF-8 text.');
    return checked(null);
  }

  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    findings.error('', 'invalid_json', describeJsonError(text, err));
    return checked(null);
  }

  checkDepth(findings, root);
  const pack = walkPack(root, findings, !options.deferPack);
  return checked(findings.hasErrors ? null : pack, root);
}

/**
 * The pack (defaults filled in) of a file that `checkPackFile` found no error in, from its parsed JSON: the same
 * record schemas, so it equals the report's `pack` had it been kept.
 */
export function packOf(root: unknown): ContentPack {
  return contentPackSchema.parse(root);
}

/** The `too_large` error for a file of `byteLength` bytes, or null when it is within MAX_PACK_BYTES. */
export function tooLargeFinding(byteLength: number): Finding | null {
  if (byteLength <= MAX_PACK_BYTES) return null;
  return finding(
    '',
    'too_large',
    `The file is ${formatMiB(byteLength)}; content packs may be at most ${formatMiB(MAX_PACK_BYTES)}. Split it into several packs.`,
  );
}

function decodeText(input: string | Buffer): string | null {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    // fatal: refuse invalid bytes instead of silently replacing them; the BOM is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return null;
  }
}

function describeJsonError(text: string, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  if (text.trim() === '') return 'The file is empty: expected a JSON object.';
  const position = /at position (\d+)/.exec(detail);
  // A file that stops before its JSON does gets no position from V8 ("Unexpected end of JSON input"): the place is
  // just after its last character.
  const endsEarly = position === null && /end of JSON input/i.test(detail);
  if (position || endsEarly) {
    const offset = position ? Number(position[1]) : text.trimEnd().length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const where = endsEarly ? ': the file ends there, before its JSON does' : '';
    return `The file is not valid JSON (line ${line}, column ${column}${where}): ${detail}`;
  }
  return `The file is not valid JSON: ${detail}`;
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string "${value.slice(0, 40)}…"` : `the string "${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function valueAt(record: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function joinPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  const rest = formatPath(path);
  if (rest === '') return base;
  if (base === '') return rest;
  return rest.startsWith('[') ? base + rest : `${base}.${rest}`;
}

const expectedNames: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** Turns one zod issue on the record at `base` into a finding with our code and a plain message. */
function reportIssue(findings: Findings, base: string, record: unknown, issue: z.core.$ZodIssue): void {
  const path = joinPath(base, issue.path);
  const field = String(issue.path.at(-1) ?? base);
  const value = valueAt(record, issue.path);
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as { code?: FindingCode; suggestion?: string } | undefined;
      findings.error(path, params?.code ?? 'invalid_value', issue.message, params?.suggestion);
      return;
    }
    case 'invalid_type':
      if (value === undefined) findings.error(path, 'required', `${field} is required`);
      else {
        const expected = expectedNames[issue.expected] ?? issue.expected;
        findings.error(path, 'wrong_type', `${field} must be ${expected}, not ${describeValue(value)}`);
      }
      return;
    case 'invalid_format':
      if (issue.format === 'uuid') findings.error(path, 'invalid_uuid', `${field} must be a UUID, not ${describeValue(value)}`);
      else findings.error(path, 'invalid_value', `${field}: ${issue.message}`);
      return;
    case 'too_small':
      if (issue.origin === 'string') findings.error(path, 'too_small', `${field} must not be empty`);
      else if (issue.origin === 'array') findings.error(path, 'too_small', `${field} needs at least ${issue.minimum} items`);
      else findings.error(path, 'too_small', `${field} must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`);
      return;
    case 'too_big':
      if (issue.origin === 'string' && typeof value === 'string') {
        findings.error(
          path,
          'too_big',
          `${field} is ${value.length.toLocaleString('en-US')} characters long; packs allow at most ${Number(issue.maximum).toLocaleString('en-US')}`,
          'Shorten the text, or split it over several questions.',
        );
      } else if (issue.origin === 'array' && Array.isArray(value)) {
        findings.error(
          path,
          'too_big',
          `${field} has ${value.length.toLocaleString('en-US')} items; packs allow at most ${Number(issue.maximum).toLocaleString('en-US')}`,
          'Keep fewer items, or split them over several questions.',
        );
      } else findings.error(path, 'too_big', `${field} must be at most ${issue.maximum}`);
      return;
    default:
      findings.error(path, 'invalid_value', `${field}: ${issue.message}`);
  }
}

function parseRecord<T>(
  findings: Findings,
  schema: z.ZodType<T>,
  base: string,
  record: unknown,
): T | undefined {
  const result = schema.safeParse(record);
  if (result.success) return result.data;
  for (const issue of result.error.issues) reportIssue(findings, base, record, issue);
  return undefined;
}

function warnUnknownFields(findings: Findings, base: string, record: Json, known: Set<string>): void {
  // for…in: no array of keys per record (this runs for every record of a 100k-question pack).
  for (const key in record) {
    if (!known.has(key)) findings.warning(joinPath(base, [key]), 'unknown_field', `unknown field "${key}" is ignored`);
  }
}

/** The array under `key`, reporting a missing or non-array value. */
function tableArray(findings: Findings, root: Json, key: string): unknown[] {
  const value = root[key];
  if (value === undefined) {
    findings.error(key, 'required', `${key} is required (an array, possibly empty)`);
    return [];
  }
  if (!Array.isArray(value)) {
    findings.error(key, 'wrong_type', `${key} must be an array, not ${describeValue(value)}`);
    return [];
  }
  return value;
}

/** Remembers where each key was first seen within its scope (a parent id, or '' for global). */
class FirstSeen {
  private readonly scopes = new Map<string, Map<string, number>>();
  /** The index `key` was first seen at in `scope`, or undefined (remembering `index`) when it is new. */
  check(scope: string, key: string, index: number): number | undefined {
    let firstAt = this.scopes.get(scope);
    if (firstAt === undefined) {
      firstAt = new Map();
      this.scopes.set(scope, firstAt);
    }
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, index);
    return first;
  }
}

/**
 * Reports each object or array nested deeper than PACK_LIMITS.depth, once, at its path. The checks after it and import's
 * JSON.stringify recurse, so a file nested 5,000 levels deep would overflow the call stack there; this walk recurses too,
 * but never past the limit. It visits every value of a 100k-question pack, so it allocates nothing per value (for…in,
 * one shared path).
 */
function checkDepth(findings: Findings, root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  const path: PropertyKey[] = [];
  const visit = (container: object): void => {
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index++) visitChild(container[index], index);
    } else {
      for (const key in container) visitChild((container as Json)[key], key);
    }
  };
  const visitChild = (child: unknown, key: PropertyKey): void => {
    if (typeof child !== 'object' || child === null) return;
    path.push(key);
    if (path.length >= PACK_LIMITS.depth) {
      findings.error(
        formatPath(path),
        'too_deep',
        `this value is nested more than ${PACK_LIMITS.depth} levels deep (objects and arrays within each other); packs allow at most ${PACK_LIMITS.depth}`,
        'Flatten the structure: real content needs only a few levels.',
      );
    } else visit(child);
    path.pop();
  };
  visit(root);
}

/** Checks every record; returns the pack when `keep` and nothing was wrong. */
function walkPack(root: unknown, findings: Findings, keep: boolean): ContentPack | null {
  if (!isObject(root)) {
    findings.error('', 'wrong_type', `The file must hold one JSON object with "pack", "domains", "skills" and "questions", not ${describeValue(root)}`);
    return null;
  }
  warnUnknownFields(findings, '', root, rootKeys);

  let header: ContentPack['pack'] | undefined;
  if (root.pack === undefined) findings.error('pack', 'required', 'pack is required ({ name, version, schema_version })');
  else if (!isObject(root.pack)) findings.error('pack', 'wrong_type', `pack must be an object, not ${describeValue(root.pack)}`);
  else {
    warnUnknownFields(findings, 'pack', root.pack, headerKeys);
    header = parseRecord(findings, packHeaderSchema, 'pack', root.pack);
  }

  const domains = walkDomains(findings, tableArray(findings, root, 'domains'));
  const skills = walkSkills(findings, tableArray(findings, root, 'skills'), domains.ids);
  const questions = walkQuestions(findings, tableArray(findings, root, 'questions'), skills.ids, keep);
  warnEmptyParents(findings, domains.ids, skills.parentIds, 'domain_without_skills', 'domains', 'skills');
  warnEmptyParents(findings, skills.ids, questions.parentIds, 'skill_without_questions', 'skills', 'questions');
  const drillPack = root.drill_pack === undefined ? undefined : walkDrillPack(findings, root.drill_pack);

  if (!keep || findings.hasErrors || header === undefined) return null;
  const pack: ContentPack = { pack: header, domains: domains.valid, skills: skills.valid, questions: questions.valid };
  if (drillPack !== undefined) pack.drill_pack = drillPack;
  return pack;
}

interface WalkedTable<T> {
  valid: T[];
  /** Each string id seen: where its record is, and a name for it (its slug, else its id). */
  ids: Map<string, { index: number; label: string }>;
  /** Parent ids that at least one record refers to. */
  parentIds: Set<string>;
}

/** The checks every table shares: object shape, unknown fields, duplicate id, duplicate slug in its scope. */
function checkCommon(
  findings: Findings,
  table: string,
  index: number,
  record: unknown,
  known: Set<string>,
  seenIds: FirstSeen,
  seenSlugs: FirstSeen,
  scope: string,
  scopeName: string,
): record is Json {
  const base = `${table}[${index}]`;
  if (!isObject(record)) {
    findings.error(base, 'wrong_type', `each entry of ${table} must be an object, not ${describeValue(record)}`);
    return false;
  }
  warnUnknownFields(findings, base, record, known);
  if (typeof record.id === 'string') {
    const first = seenIds.check('', record.id, index);
    if (first !== undefined) {
      findings.error(`${base}.id`, 'duplicate_id', `id ${record.id} is already used by ${table}[${first}]`);
    }
  }
  if (typeof record.slug === 'string') {
    const first = seenSlugs.check(scope, record.slug, index);
    if (first !== undefined) {
      findings.error(`${base}.slug`, 'duplicate_slug', `slug "${record.slug}" is already used by ${table}[${first}]${scopeName}`);
    }
  }
  return true;
}

function labelOf(record: Json): string {
  return typeof record.slug === 'string' ? `"${record.slug}"` : String(record.id);
}

function walkDomains(findings: Findings, records: unknown[]): WalkedTable<PackDomain> {
  const walked: WalkedTable<PackDomain> = { valid: [], ids: new Map(), parentIds: new Set() };
  const seenIds = new FirstSeen();
  const seenSlugs = new FirstSeen();
  records.forEach((record, index) => {
    if (!checkCommon(findings, 'domains', index, record, domainKeys, seenIds, seenSlugs, '', '')) return;
    if (typeof record.id === 'string' && !walked.ids.has(record.id)) walked.ids.set(record.id, { index, label: labelOf(record) });
    const domain = parseRecord(findings, packDomainSchema, `domains[${index}]`, record);
    if (domain) walked.valid.push(domain);
  });
  return walked;
}

function walkSkills(
  findings: Findings,
  records: unknown[],
  domainIds: WalkedTable<unknown>['ids'],
): WalkedTable<PackSkill> {
  const walked: WalkedTable<PackSkill> = { valid: [], ids: new Map(), parentIds: new Set() };
  const seenIds = new FirstSeen();
  const seenSlugs = new FirstSeen();
  records.forEach((record, index) => {
    const domainId = isObject(record) && typeof record.domain_id === 'string' ? record.domain_id : '';
    if (!checkCommon(findings, 'skills', index, record, skillKeys, seenIds, seenSlugs, domainId, ' in the same domain')) return;
    if (typeof record.id === 'string' && !walked.ids.has(record.id)) walked.ids.set(record.id, { index, label: labelOf(record) });
    checkReference(findings, `skills[${index}].domain_id`, record.domain_id, domainIds, 'domain', walked.parentIds);
    const skill = parseRecord(findings, packSkillSchema, `skills[${index}]`, record);
    if (skill) walked.valid.push(skill);
  });
  return walked;
}

function walkQuestions(
  findings: Findings,
  records: unknown[],
  skillIds: WalkedTable<unknown>['ids'],
  keep: boolean,
): WalkedTable<PackQuestion> {
  const walked: WalkedTable<PackQuestion> = { valid: [], ids: new Map(), parentIds: new Set() };
  const seenIds = new FirstSeen();
  const seenSlugs = new FirstSeen();
  const typeList = questionTypes.join(', ');
  records.forEach((record, index) => {
    const base = `questions[${index}]`;
    const skillId = isObject(record) && typeof record.skill_id === 'string' ? record.skill_id : '';
    if (!checkCommon(findings, 'questions', index, record, questionKeys, seenIds, seenSlugs, skillId, ' in the same skill')) return;
    checkReference(findings, `${base}.skill_id`, record.skill_id, skillIds, 'skill', walked.parentIds);
    if (record.explanation === undefined || record.explanation === null) {
      findings.warning(`${base}.explanation`, 'missing_explanation', `question ${labelOf(record)} has no explanation to show after an answer`);
    }

    const type = record.type;
    if (typeof type === 'string' && (questionTypes as readonly string[]).includes(type)) {
      const knownType = type as QuestionType;
      if (isObject(record.payload)) warnUnknownFields(findings, `${base}.payload`, record.payload, payloadKeys[knownType]);
      const question = parseRecord<PackQuestion>(findings, questionSchemaByType[knownType], base, record);
      if (question && keep) walked.valid.push(question);
      return;
    }
    if (type === undefined) findings.error(`${base}.type`, 'required', `type is required (one of ${typeList})`);
    else if (typeof type !== 'string') findings.error(`${base}.type`, 'wrong_type', `type must be a string (one of ${typeList}), not ${describeValue(type)}`);
    else findings.error(`${base}.type`, 'unknown_question_type', `unknown question type "${type}": expected one of ${typeList}`);
    // The type decides the payload's shape; still report what is wrong with the other fields.
    parseRecord(findings, questionCommonSchema, base, record);
    if (record.payload === undefined) findings.error(`${base}.payload`, 'required', 'payload is required');
  });
  return walked;
}

function checkReference(
  findings: Findings,
  path: string,
  parentId: unknown,
  parents: WalkedTable<unknown>['ids'],
  parentName: string,
  referenced: Set<string>,
): void {
  // A missing or mistyped id is reported by the record's own schema.
  if (typeof parentId !== 'string') return;
  referenced.add(parentId);
  if (!parents.has(parentId)) {
    findings.error(path, 'dangling_reference', `${parentName} ${parentId} is not in this pack's ${parentName === 'domain' ? 'domains' : 'skills'}`);
  }
}

function warnEmptyParents(
  findings: Findings,
  parents: WalkedTable<unknown>['ids'],
  referenced: Set<string>,
  code: 'domain_without_skills' | 'skill_without_questions',
  table: string,
  childTable: string,
): void {
  for (const [id, { index, label }] of parents) {
    if (!referenced.has(id)) {
      findings.warning(`${table}[${index}]`, code, `${table.slice(0, -1)} ${label} has no ${childTable}, so it cannot be published`);
    }
  }
}

function walkDrillPack(findings: Findings, drill: unknown): ContentPack['drill_pack'] | undefined {
  if (!isObject(drill)) {
    findings.error('drill_pack', 'wrong_type', `drill_pack must be an object, not ${describeValue(drill)}`);
    return undefined;
  }
  warnUnknownFields(findings, 'drill_pack', drill, drillKeys);
  if (isObject(drill.metadata)) {
    warnUnknownFields(findings, 'drill_pack.metadata', drill.metadata, drillMetadataKeys);
    const rubric = drill.metadata.rubric;
    if (isObject(rubric)) {
      warnUnknownFields(findings, 'drill_pack.metadata.rubric', rubric, rubricKeys);
      if (Array.isArray(rubric.dimensions)) {
        rubric.dimensions.forEach((dimension, index) => {
          if (isObject(dimension)) warnUnknownFields(findings, `drill_pack.metadata.rubric.dimensions[${index}]`, dimension, rubricDimensionKeys);
        });
      }
    }
  }
  if (Array.isArray(drill.questions)) {
    drill.questions.forEach((question, index) => {
      if (isObject(question)) warnUnknownFields(findings, `drill_pack.questions[${index}]`, question, drillQuestionKeys);
    });
  }
  // Drill packs are small (tens of prompts), so one parse of the whole object reports everything.
  return parseRecord(findings, drillPackSchema, 'drill_pack', drill);
}
