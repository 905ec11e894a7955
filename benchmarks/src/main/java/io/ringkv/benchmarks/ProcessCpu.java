package io.ringkv.benchmarks;

import java.lang.management.ManagementFactory;

/** The CPU time of this whole process (every thread, user and system), for per-operation costs. */
final class ProcessCpu {
  private ProcessCpu() {}

  static long nanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
