/** The engines of a run's groups, for the reports; they live in results/ so that CI outcomes (ci/) can name them too. */
export { DEFAULT_ENGINE, engineOf, enginesNote, enginesOf, showsEngines } from '../results/engines.js';
