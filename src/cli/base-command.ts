import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { resolveConfig, type MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof MpctlCommand)['baseFlags'] & T['flags']
>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Exit codes scripts can trust. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Shared flags and configuration for every mpctl command; `--json` prints what run() returns. */
export abstract class MpctlCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    home: Flags.string({
      description: 'State folder of the embedded stack [env: MPCTL_HOME, default ./.mpctl]',
      helpGroup: 'GLOBAL',
    }),
    'database-url': Flags.string({ description: 'PostgreSQL URL [env: MPCTL_DATABASE_URL]', helpGroup: 'GLOBAL' }),
    'temporal-address': Flags.string({
      description: 'Temporal frontend host:port [env: TEMPORAL_ADDRESS]',
      helpGroup: 'GLOBAL',
    }),
    namespace: Flags.string({ description: 'Temporal namespace [env: TEMPORAL_NAMESPACE]', helpGroup: 'GLOBAL' }),
    'data-root': Flags.string({
      description: 'Raw data root; repeat for several [env: MPCTL_DATA_ROOTS, colon-separated]',
      multiple: true,
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  /** Positional arguments as given (for commands that take a variable number). */
  protected positional: string[] = [];

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof MpctlCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    this.positional = argv.map(String);
  }

  /** Settings from flags, environment, mpctl.config.json and the running stack, in that order. */
  protected settings(): MpctlConfig {
    const f = this.flags as Record<string, unknown>;
    return resolveConfig({
      home: f.home as string | undefined,
      databaseUrl: f['database-url'] as string | undefined,
      temporalAddress: f['temporal-address'] as string | undefined,
      namespace: f.namespace as string | undefined,
      dataRoots: f['data-root'] as string[] | undefined,
    });
  }

  /** Human output only; `--json` output is the return value of run(). */
  protected say(message = ''): void {
    if (!this.jsonEnabled()) this.log(message);
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // this.exit() under --json: the command chose its exit code (and printed its own JSON); not an error to print.
    if (error instanceof Errors.ExitError && this.jsonEnabled()) {
      process.exitCode = error.oclif.exit;
      return undefined;
    }
    // Configuration mistakes are usage errors (exit 2): retrying the same command cannot help.
    // `exitCode` is what oclif uses under --json, `oclif.exit` without it. Not enumerable: oclif 5
    // prints an error's own enumerable properties as its --json, which stays {name, errorType, message}.
    if (error instanceof ConfigError)
      Object.defineProperties(error, {
        oclif: { value: { exit: ExitCode.usage }, enumerable: false, configurable: true },
        exitCode: { value: ExitCode.usage, enumerable: false, configurable: true },
      });
    return super.catch(error);
  }
}
