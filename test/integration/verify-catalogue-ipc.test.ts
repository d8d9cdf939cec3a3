import { catalogueHoldsOn } from '../support/verify-catalogue.js';

/** The shipped catalogue on ipc (test/support/verify-catalogue.ts). */
catalogueHoldsOn('ipc');
