/**
 * The layers of src/, bottom to top (docs/architecture.md draws them). A module may import its own
 * folder and folders below it, never one above: data flows up from the scenario to the report.
 * `npm run lint` checks it, and `npm test` runs lint first, so a backwards import fails the build.
 */
const LAYERS = [
  'core', // types, errors, units, formatting, files: no knowledge of ZeroMQ or of a run
  'scenario', // the scenario format: schema, validation, plan, the expect language
  'stats', // histograms, sequence tracking, foreign traffic
  'protocol', // the message header, payloads, control messages between coordinator and workers
  'pacing', // when the next message is due
  'meter', // what a role measures: below transport and engine, so it cannot know a socket
  'transport', // endpoints, free ports, kernel queues
  'engine', // the socket engine seam: the only place that imports zeromq (and koffi, for the native engine)
  'roles', // socket roles: a socket, a loop, a meter
  'collect', // samples and results of many workers put together
  'runtime', // one run: workers, phases, faults (on this host or, through agent links, on others)
  'agent', // zmq-bench agent: runs workers for a coordinator on another host; CURVE keys, ZAP
  'results', // result.json written, read, judged
  'ci', // thresholds, baselines, comparisons, suite index
  'report', // console, HTML, CI files
  'live', // a run watched while it runs: Prometheus and OTLP metrics, the live page (issue 23)
  'verify', // the behaviour catalogue
  'k8s', // Kubernetes manifests rendered for a scenario
  'api', // the library API behind src/index.ts (import { run, validate, loadScenario, compare } from 'zmq-bench')
];

const below = (i) => LAYERS.slice(0, i);
const above = (i) => LAYERS.slice(i + 1);

module.exports = {
  forbidden: [
    ...LAYERS.map((layer, i) => ({
      name: `${layer}-imports-only-below`,
      comment: `src/${layer}/ may import only ${below(i).join(', ') || 'nothing of src/ but itself'}`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: [`^src/(${[...above(i)].join('|') || '$^'})/`, '^src/[^/]+\\.ts$'] },
    })),
    {
      name: 'zeromq-only-in-the-engine',
      comment: 'zeromq.js is imported in one place, behind the engine seam (docs/zeromq-traps.md)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/engine/zeromqjs-engine\\.ts$' },
      to: { path: '^node_modules/zeromq/' },
    },
    {
      name: 'koffi-only-in-the-native-loader',
      comment: 'koffi (libzmq through FFI) is imported in one place: src/engine/native/libzmq.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/engine/native/libzmq\\.ts$' },
      to: { path: '^node_modules/koffi/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
