package io.ringkv.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkModuleTest {
  /**
   * Under load nearly every request timeout is cancelled once its answers are in. A cancelled one
   * must leave the timer's queue at once, not wake the timer thread at its deadline.
   */
  @Test
  void aCancelledTimeoutLeavesTheTimerQueueAtOnce() {
    ScheduledExecutorService timer = new NetworkModule(null).timer();
    try {
      ScheduledThreadPoolExecutor pool = (ScheduledThreadPoolExecutor) timer;
      ScheduledFuture<?> kept = timer.schedule(() -> { }, 1, TimeUnit.HOURS);
      for (int i = 0; i < 1_000; i++) {
        timer.schedule(() -> { }, 2, TimeUnit.HOURS).cancel(false);
      }
      assertThat(pool.getQueue()).hasSize(1);
      kept.cancel(false);
      assertThat(pool.getQueue()).isEmpty();
    } finally {
      timer.shutdownNow();
    }
  }
}
