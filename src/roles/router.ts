import { EchoRole } from './echo.js';

/** ROUTER: replies go to the peer named by the identity frame it received. */
export class RouterRole extends EchoRole {}
