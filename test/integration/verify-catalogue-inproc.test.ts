import { catalogueHoldsOn } from '../support/verify-catalogue.js';

/** The shipped catalogue on inproc (test/support/verify-catalogue.ts). */
catalogueHoldsOn('inproc');
