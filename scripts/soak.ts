/**
 * `npm run soak -- [--kills 200] [--partitions 100] [--budget-s 900] [--backoff-ms 20,300] [--answers 8]`: kills a
 * pushing client and cuts its link at random moments mid-push against the local stack, then prints lost,
 * duplicated and stuck counts (each must be 0) and the time to drain after each fault. Exits 1 unless all are 0.
 */
import { defaultSoakOptions, formatSoakReport, runSoak, soakClean, type SoakOptions } from './soak/soak';

function parse(argv: string[]): SoakOptions {
  const options = { ...defaultSoakOptions };
  const wholeNumber = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got "${value ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (flag === '--kills') options.kills = wholeNumber(flag, value);
    else if (flag === '--partitions') options.partitions = wholeNumber(flag, value);
    else if (flag === '--budget-s') options.budgetS = wholeNumber(flag, value);
    else if (flag === '--answers') options.answersPerFault = Math.max(1, wholeNumber(flag, value));
    else if (flag === '--backoff-ms') {
      const [baseMs, capMs] = (value ?? '').split(',').map((part) => wholeNumber(flag, part));
      if (baseMs === undefined || capMs === undefined || capMs < baseMs) throw new Error('--backoff-ms needs BASE,CAP with CAP >= BASE');
      options.backoff = { baseMs, capMs };
    } else throw new Error(`Unknown option ${flag}: use --kills, --partitions, --budget-s, --backoff-ms or --answers`);
  }
  return options;
}

let options: SoakOptions;
try {
  options = parse(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const report = await runSoak(options);
for (const line of formatSoakReport(options, report)) console.log(line);
process.exit(soakClean(report) ? 0 : 1);
