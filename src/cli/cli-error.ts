/** An error the user can act on: printed as it is, without a stack, and the command exits with status 1. */
export class CliError extends Error {}
