import { catalogueHoldsOn } from '../support/verify-catalogue.js';

/** Half of the shipped catalogue's verify runs on tcp, where most long claims run (test/support/verify-catalogue.ts). */
catalogueHoldsOn('tcp', [1, 2]);
