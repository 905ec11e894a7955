package io.ringkv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Virtual time: order, periodic tasks, cancellation, and idleness that ignores periodic work. */
class ManualSchedulerTest {
  @Test
  void tasksRunInTimeOrderWithTheClockAtTheirDueTime() {
    ManualScheduler s = new ManualScheduler();
    long start = s.now();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofMillis(30), () -> ran.add("c@" + (s.now() - start)));
    s.schedule(Duration.ofMillis(10), () -> ran.add("a@" + (s.now() - start)));
    s.schedule(Duration.ofMillis(10), () -> ran.add("b@" + (s.now() - start)));
    Scheduler.Cancellable never = s.schedule(Duration.ofMillis(20), () -> ran.add("never"));
    never.cancel();
    s.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("a@10", "b@10", "c@30");
    assertThat(s.now() - start).isEqualTo(100);
  }

  @Test
  void periodicTasksRepeatUntilCancelledAndDoNotKeepTheSchedulerBusy() {
    ManualScheduler s = new ManualScheduler();
    List<Long> ticks = new ArrayList<>();
    long start = s.now();
    Scheduler.Cancellable every = s.every(Duration.ofMillis(250), () -> ticks.add(s.now() - start));
    assertThat(s.activeTasks()).isEqualTo(1);
    s.schedule(Duration.ofMillis(600), () -> { });
    s.runUntilIdle(1_000);
    assertThat(ticks).as("periodic runs due before the last one-shot task").containsExactly(250L,
        500L);
    s.advance(Duration.ofMillis(500));
    assertThat(ticks).as("the clock stood at 600: runs up to 1100").containsExactly(250L, 500L,
        750L, 1_000L);
    every.cancel();
    assertThat(s.activeTasks()).isZero();
    s.advance(Duration.ofSeconds(1));
    assertThat(ticks).hasSize(4);
  }
}
