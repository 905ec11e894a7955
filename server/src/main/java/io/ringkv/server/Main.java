package io.ringkv.server;

import io.ringkv.cli.ClientCommands;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code ringkv} launcher ({@code bin/ringkv}). Sub-commands: {@code demo}, {@code server}, {@code dev-cluster}, {@code get}, {@code put}, {@code delete}, {@code ring}, {@code members}, {@code join}, {@code leave}, {@code bench}. Exit code 0 on
 * success, 1 when a command fails (with a one-line error), 2 on a usage error.
 */
@Command(name = "ringkv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "ringkv: a Dynamo-style distributed key-value store.",
    subcommands = {DemoCommand.class, ServerCommand.class, DevClusterCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required, e.g. 'ringkv demo'");
  }

  /** The launcher: the server commands here, the client commands of the cli module. */
  public static CommandLine commandLine() {
    return ClientCommands.addTo(new CommandLine(new Main()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
