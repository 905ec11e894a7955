package io.ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The client commands alone, without a node: {@code java -cp ... io.ringkv.cli.RingkvCli get b k}
 * on a machine that only talks to a cluster. The distribution's {@code bin/ringkv} has them too.
 */
@Command(name = "ringkv", mixinStandardHelpOptions = true,
    description = "ringkv client commands.", subcommands = CommandLine.HelpCommand.class)
public final class RingkvCli implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required, e.g. 'ringkv get"
        + " BUCKET KEY'");
  }

  public static CommandLine commandLine() {
    return ClientCommands.addTo(new CommandLine(new RingkvCli()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
