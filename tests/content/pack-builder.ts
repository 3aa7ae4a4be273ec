/**
 * Builds content packs for tests: valid by default, deterministic ids, sized from a few records to ~50 MB; reads the
 * fixture packs; validates a broken copy and sums up findings.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Finding } from '../../shared/content/findings';
import type { ContentPackInput } from '../../shared/content/pack';
import { validatePackText } from '../../electron/core/content/validate';

/** A stable UUID (v4 layout) derived from a label, so tests can name records. */
export function testUuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface PackShape {
  name?: string;
  version?: string;
  domains?: number;
  skillsPerDomain?: number;
  questionsPerSkill?: number;
  /** Prefix of every slug and id label, so two packs can be told apart. */
  prefix?: string;
  published?: boolean;
  /** Extra characters in each prompt, to grow the file. */
  promptPadding?: number;
  withDrillPack?: boolean;
}

export const drillCategories = ['clarity', 'structure', 'empathy', 'evidence', 'brevity', 'reflection', 'ownership'];

export function buildPack(shape: PackShape = {}): ContentPackInput {
  const {
    name = 'test-pack',
    version = '1.0.0',
    domains = 1,
    skillsPerDomain = 2,
    questionsPerSkill = 2,
    prefix = 'p',
    published = true,
    promptPadding = 0,
    withDrillPack = false,
  } = shape;
  const padding = 'x'.repeat(promptPadding);
  const pack: ContentPackInput = {
    pack: { name, version, schema_version: '1', description: 'built by tests' },
    domains: [],
    skills: [],
    questions: [],
  };
  for (let d = 0; d < domains; d += 1) {
    const domainId = testUuid(`${prefix}-d${d}`);
    pack.domains.push({
      id: domainId,
      slug: `${prefix}_domain_${d}`,
      title: `Domain ${d}`,
      sort_order: d,
      is_published: published,
      created_utc_ms: 1_700_000_000_000,
      updated_utc_ms: 1_700_000_000_000,
    });
    for (let s = 0; s < skillsPerDomain; s += 1) {
      const skillId = testUuid(`${prefix}-d${d}-s${s}`);
      pack.skills.push({
        id: skillId,
        domain_id: domainId,
        slug: `${prefix}_skill_${s}`,
        title: `Skill ${d}.${s}`,
        description: `Skill ${s} of domain ${d}`,
        sort_order: s,
        is_published: published,
        created_utc_ms: 1_700_000_001_000,
        updated_utc_ms: 1_700_000_001_000,
      });
      for (let q = 0; q < questionsPerSkill; q += 1) {
        const common = {
          id: testUuid(`${prefix}-d${d}-s${s}-q${q}`),
          skill_id: skillId,
          slug: `${prefix}_q_${q}`,
          explanation: { body: `Because ${q}.` },
          sort_order: q,
          is_published: published,
          created_utc_ms: 1_700_000_002_000,
          updated_utc_ms: 1_700_000_002_000,
        };
        pack.questions.push(
          q % 2 === 0
            ? {
                ...common,
                type: 'mcq_single',
                payload: { prompt: `What is ${q} + 1? ${padding}`, choices: [`${q}`, `${q + 1}`, `${q + 2}`], solution_index: 1 },
              }
            : {
                ...common,
                type: 'reorder_steps',
                payload: { prompt: `Order the steps ${padding}`, steps: ['first', 'second', 'third'], solution: [2, 0, 1] },
              },
        );
      }
    }
  }
  if (withDrillPack) {
    pack.drill_pack = {
      version: '1.0.0',
      metadata: { title: 'Drills', description: 'Interview drills', categories: [...drillCategories] },
      questions: drillCategories.map((category, i) => ({
        id: testUuid(`${prefix}-drill-${i}`),
        category,
        prompt: `Tell me about ${category}.`,
        expected_duration_s: 90,
        evaluation_criteria: [`Shows ${category}`],
      })),
    };
  }
  return pack;
}

export function packText(pack: unknown): string {
  return JSON.stringify(pack, null, 2);
}

/** The bytes of tests/fixtures/packs/NAME. */
export function fixturePack(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/packs/${name}`, import.meta.url));
}

/** Validates a copy of a valid pack (with a drill pack) after `change` breaks it. */
export function validateChanged(change: (pack: ContentPackInput & Record<string, unknown>) => void, shape: PackShape = {}) {
  const pack = buildPack({ withDrillPack: true, ...shape }) as ContentPackInput & Record<string, unknown>;
  change(pack);
  return validatePackText(packText(pack));
}

/** Findings as "code @ path", for comparing a report with what is expected. */
export function findingSummary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} @ ${f.path}`);
}
