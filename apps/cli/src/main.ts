#!/usr/bin/env node
// The `omnitrain` binary: runs the command line and exits with its code (see exit-codes.ts).
import { installInterruptHandlers } from './cli/on-interrupt.js';
import { runCli } from './cli/run-cli.js';

installInterruptHandlers();
// Exit explicitly: a finished command must not linger on an open socket or timer.
process.exit(await runCli(process.argv));
