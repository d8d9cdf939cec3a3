import { catalogueHoldsOn } from '../support/verify-catalogue.js';

/** The shipped catalogue on udp: the RADIO/DISH claims, the only ones udp carries (test/support/verify-catalogue.ts). */
catalogueHoldsOn('udp');
