package io.ringkv.server;

import io.ringkv.server.config.PluginsConfig;
import io.ringkv.server.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv demo}: the in-process walk-through of {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Runs a 3-node cluster in this process and narrates what ringkv does.",
        "",
        "On the embedded defaults (Q=64, N=3 R=2 W=2): put and get, concurrent puts and their",
        "siblings, resolution, the lww and set-union resolvers, the numeric-max plugin when it",
        "is in the plugins folder, and a node going down and coming back. Exit code 0 when every",
        "step behaved as described."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--plugins", paramLabel = "DIR",
      description = "plugins folder (default: $RINGKV_HOME/plugins when RINGKV_HOME is set,"
          + " else ./plugins)")
  Path plugins;

  @Override
  public Integer call() {
    Path dir = plugins != null ? plugins : PluginsConfig.defaults().dir();
    try {
      Demo.run(dir, spec.commandLine().getOut());
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("ringkv demo: " + oneLine(e));
      return 1;
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
