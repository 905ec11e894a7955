package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The production scheduler: fixed-delay periodic tasks that survive a failure, and the default. */
class ExecutorSchedulerTest {
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void schedulesWithFixedDelayCancelsAndKeepsGoingAfterAFailure() {
    ScheduledExecutorService executor = mock(ScheduledExecutorService.class);
    ScheduledFuture future = mock(ScheduledFuture.class);
    when(executor.scheduleWithFixedDelay(any(), eq(1_000_000_000L), eq(1_000_000_000L),
        eq(TimeUnit.NANOSECONDS))).thenReturn(future);
    AtomicInteger runs = new AtomicInteger();

    Scheduler.Cancellable c = Scheduler.of(executor).every(Duration.ofSeconds(1), () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("boom");
    });

    ArgumentCaptor<Runnable> task = ArgumentCaptor.forClass(Runnable.class);
    verify(executor).scheduleWithFixedDelay(task.capture(), eq(1_000_000_000L),
        eq(1_000_000_000L), eq(TimeUnit.NANOSECONDS));
    task.getValue().run();
    task.getValue().run();
    assertThat(runs).hasValue(2);
    c.cancel();
    verify(future).cancel(false);
  }

  @Test
  void refusesANonPositivePeriod() {
    Scheduler s = Scheduler.of(mock(ScheduledExecutorService.class));
    assertThatThrownBy(() -> s.every(Duration.ZERO, () -> { }))
        .hasMessageContaining("period PT0S is invalid");
    Scheduler lambda = (delay, task) -> () -> { };
    assertThatThrownBy(() -> lambda.every(Duration.ofMillis(-1), () -> { }))
        .hasMessageContaining("positive period");
  }

  /** The default {@code every} reschedules after each run, survives a throw, and stops on cancel. */
  @Test
  void theDefaultPeriodicReschedulesUntilCancelled() {
    List<Runnable> due = new ArrayList<>();
    Scheduler queue = (delay, task) -> {
      due.add(task);
      return () -> due.remove(task);
    };
    AtomicInteger runs = new AtomicInteger();
    Thread.UncaughtExceptionHandler before = Thread.currentThread().getUncaughtExceptionHandler();
    List<Throwable> reported = new ArrayList<>();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
    try {
      Scheduler.Cancellable c = queue.every(Duration.ofSeconds(1), () -> {
        if (runs.incrementAndGet() == 2) {
          throw new IllegalStateException("second run fails");
        }
      });
      for (int i = 0; i < 3; i++) {
        assertThat(due).hasSize(1);
        due.remove(0).run();
      }
      assertThat(runs).hasValue(3);
      assertThat(reported).singleElement().hasToString(
          "java.lang.IllegalStateException: second run fails");
      c.cancel();
      assertThat(due).isEmpty();
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(before);
    }
  }
}
