import { EchoRole } from './echo.js';

/** REP: must receive before it sends; the echo loop keeps that order. */
export class RepRole extends EchoRole {}
