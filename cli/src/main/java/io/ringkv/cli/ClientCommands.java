package io.ringkv.cli;

import io.ringkv.cli.bench.BenchCommand;
import java.util.List;
import picocli.CommandLine;

/**
 * The client commands of the {@code ringkv} launcher, for the launcher (in the server module) to
 * add beside its server commands, and {@link RingkvCli}, the same commands on their own.
 */
public final class ClientCommands {
  /** In the order {@code ringkv --help} lists them. */
  public static final List<Class<?>> ALL = List.of(GetCommand.class, PutCommand.class,
      DeleteCommand.class, RingCommand.class, MembersCommand.class, JoinCommand.class,
      LeaveCommand.class, RemoveCommand.class, RepairCommand.class, BenchCommand.class);

  private ClientCommands() {}

  /** Adds every client command to {@code launcher}; returns it. */
  public static CommandLine addTo(CommandLine launcher) {
    for (Class<?> command : ALL) {
      launcher.addSubcommand(command);
    }
    return launcher;
  }
}
