// zmq-bench from code (docs/api.md). test/integration/api-package.test.ts runs this file in a
// fresh project where the package was installed from `npm pack`, so it stays true.
import { join } from 'node:path';
import { compare, loadScenario, run, scenariosDir, validate, type RunEvent } from 'zmq-bench';

// A shipped scenario, as `zmq-bench run scenarios/pipeline.yaml --transport inproc --duration 300ms` runs it.
const scenario = await loadScenario(join(scenariosDir, 'pipeline.yaml'), { transport: 'inproc', duration: '300ms' });

// The run's events, typed: `switch (e.type)` narrows each one.
const phases: string[] = [];
let samples = 0;
const onEvent = (e: RunEvent): void => {
  switch (e.type) {
    case 'phase':
      phases.push(e.phase);
      break;
    case 'sample':
      samples++;
      break;
    case 'figures':
      // the measured phase so far: what a live chart or an early check reads
      break;
    case 'timeline':
      if (e.entry.kind === 'fault') console.log(`fault: ${e.entry.action} ${e.entry.target}`);
      break;
    case 'breach':
      console.log(`${e.final ? 'failed' : 'failing'}: ${e.threshold.message}`);
      break;
  }
};

// At most a minute, whatever happens: aborting resolves with what was measured (complete: false).
const result = await run(scenario, { onEvent, signal: AbortSignal.timeout(60_000) });
console.log(`phases: ${phases.join(' → ')}`);
console.log(`${samples} samples; ${result.totals.received} received, ${result.totals.lost} lost; complete: ${result.complete}`);

// The same comparison as `zmq-bench compare` (here the run with itself: nothing changed).
const comparison = await compare(result, result);
console.log(`regression: ${comparison.regression}`);

// A scenario written in code, checked without running it: one line per problem.
const problems = validate({
  name: 'typo',
  topology: { endpoints: ['work'], groups: [{ name: 'sink', type: 'pull', bind: 'wrok' }] },
});
console.log(problems.join('\n'));

if (!result.complete || result.totals.lost > 0 || comparison.regression) process.exitCode = 1;
