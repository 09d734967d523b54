#!/usr/bin/env node
// The published entry point; the CLI itself is TypeScript, run by Node's type stripping.
import '../src/cli/main.ts';
