/**
 * A request's input refused by its channel's contract, in words a learner can act on: which field was wrong and what it
 * expects ("Email must be an address such as name@example.com."). Every screen shows an AppError's message, and every
 * request passes dispatch, so this is the one place zod's issues become words; zod's own text ("Invalid input for
 * sync:signUp: email: Invalid email address") stays in `details` for developers.
 */
import type { z } from 'zod';
import { formatPath, type AppError, type RefusedInputIssue } from '../../../shared/errors';
import { asSentence } from '../../../shared/sentence';

/** The words the screens use for the fields a learner types or picks; other fields are named from their key. */
const fieldLabels: Readonly<Record<string, string>> = {
  email: 'Email',
  password: 'Password',
  url: 'Server URL',
  anonKey: 'Anon key',
  theme: 'Theme',
  timeZone: 'Time zone',
  rolloverHour: 'The hour a new day starts',
  desiredRetention: 'Desired retention',
  dailyReviewLimit: 'Reviews per day',
  kind: 'Tutor provider',
  baseUrl: 'Base URL',
  model: 'Model',
  apiKey: 'API key',
  title: 'Title',
  text: 'Message',
  transcript: 'Answer',
  durationS: 'Recording length',
  skillId: 'Skill',
  sessionId: 'Session',
  questionId: 'Question',
  chatId: 'Conversation',
  packId: 'Pack',
  backupPath: 'Backup file',
  ids: 'The list of changes',
};

/** The AppError for `issues` found in `input` (what the caller sent) on `channel`. */
export function inputRefusal(channel: string, issues: readonly z.core.$ZodIssue[], input: unknown): AppError {
  const described: RefusedInputIssue[] = issues.map((issue) => ({
    path: formatPath(issue.path),
    code: issue.code,
    message: issue.message,
    sentence: describeIssue(issue, input),
  }));
  // Each issue's sentence stays with its path too, so a form can show it on the field it names.
  return { code: 'invalid_input', message: [...new Set(described.map((issue) => issue.sentence))].join(' '), details: { channel, issues: described } };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = fieldName(issue.path);
  const absent = missing(input, issue.path);
  // A value from a list: what was sent was wrong, or nothing was sent.
  const oneOfThese = (values: readonly unknown[]) => `${absent ? `${field} is missing; it` : field} must be ${oneOf(values)}.`;
  switch (issue.code) {
    case 'invalid_type':
      if (absent) return `${field} is missing.`;
      return `${field} must be ${typeNames[issue.expected] ?? issue.expected}.`;
    case 'too_small':
      return `${field} ${bound(issue.origin, issue.minimum, issue.inclusive ?? true, 'least')}.`;
    case 'too_big':
      return `${field} ${bound(issue.origin, issue.maximum, issue.inclusive ?? true, 'most')}.`;
    case 'invalid_format':
      return `${field} must be ${expectedFormat(issue)}.`;
    case 'invalid_value':
      return oneOfThese(issue.values);
    case 'invalid_union': {
      // A discriminated union lists the values its key accepts; a plain union only that none of its forms matched.
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options)) return oneOfThese(options);
      return absent ? `${field} is missing.` : `${field} is not in any of the accepted forms.`;
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.slice(0, 5).map((key) => key.slice(0, 60));
      const more = issue.keys.length > keys.length ? ` and ${issue.keys.length - keys.length} more` : '';
      return `${field} has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not take: ${keys.join(', ')}${more}.`;
    }
    case 'not_multiple_of':
      return `${field} must be a multiple of ${String(issue.divisor)}.`;
    case 'invalid_key':
    case 'invalid_element':
      return `${field} has an entry that is not accepted.`;
    case 'custom':
      return `${field}: ${asSentence(issue.message)}`;
  }
}

const typeNames: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'yes or no (true or false)',
  object: 'a set of named fields (an object)',
  array: 'a list',
  null: 'empty (null)',
};

const formatNames: Readonly<Record<string, string>> = {
  email: 'an address such as name@example.com',
  url: 'a web address such as https://example.com',
  uuid: 'an id such as 123e4567-e89b-42d3-a456-426614174000',
  guid: 'an id such as 123e4567-e89b-42d3-a456-426614174000',
};

/**
 * What a format check expects: a known format in words; for a pattern, the schema's own words for it (its `.regex`
 * message, e.g. "a recording path that drills:saveAudio returned"), since a pattern itself says nothing to a learner.
 */
function expectedFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const known = formatNames[issue.format];
  if (known !== undefined) return known;
  if (issue.format === 'regex') return issue.message.startsWith('Invalid string:') ? 'in the form this field takes' : issue.message;
  return `in the ${issue.format} format`;
}

/** "must have at least 6 characters", "must be at most 1000", "must not be empty". */
function bound(origin: string, limit: number | bigint, inclusive: boolean, side: 'least' | 'most'): string {
  const relation = inclusive ? `at ${side}` : side === 'least' ? 'more than' : 'fewer than';
  const noun = origin === 'string' ? 'character' : origin === 'array' || origin === 'set' ? 'item' : null;
  if (noun === null) return `must be ${inclusive ? relation : side === 'least' ? 'more than' : 'less than'} ${String(limit)}`;
  const n = Number(limit);
  if (side === 'least' && n === 1 && inclusive) return noun === 'character' ? 'must not be empty' : 'must have at least one item';
  return `must have ${relation} ${n} ${noun}${n === 1 ? '' : 's'}`;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return shown.length === 1 ? shown[0]! : `one of: ${shown.join(', ')}`;
}

/** The field's name for a sentence: its screen label, or its key in words ("questionId" → "Question id"); item n of a list says so. */
function fieldName(path: readonly PropertyKey[]): string {
  const keys = path.filter((part): part is string => typeof part === 'string');
  const last = keys.at(-1);
  if (last === undefined) return path.length === 0 ? 'The request' : `Item ${Number(path[0]) + 1}`;
  const label = fieldLabels[last] ?? capitalised(last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
  const index = path.at(-1);
  return typeof index === 'number' ? `${label}, item ${index + 1},` : label;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Whether the caller sent no value at `path`. */
function missing(input: unknown, path: readonly PropertyKey[]): boolean {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return true;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value === undefined;
}
