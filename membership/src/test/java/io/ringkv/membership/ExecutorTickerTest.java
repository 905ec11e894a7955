package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The production ticker schedules with a fixed delay and survives a failing task. */
class ExecutorTickerTest {
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void schedulesWithFixedDelayCancelsAndKeepsGoingAfterAFailure() {
    ScheduledExecutorService executor = mock(ScheduledExecutorService.class);
    ScheduledFuture future = mock(ScheduledFuture.class);
    when(executor.scheduleWithFixedDelay(any(), eq(1_000_000_000L), eq(1_000_000_000L),
        eq(TimeUnit.NANOSECONDS))).thenReturn(future);
    AtomicInteger runs = new AtomicInteger();

    Ticker.Cancellable c = Ticker.of(executor).every(Duration.ofSeconds(1), () -> {
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
    Ticker t = Ticker.of(mock(ScheduledExecutorService.class));
    assertThatThrownBy(() -> t.every(Duration.ZERO, () -> { }))
        .hasMessageContaining("period PT0S is invalid");
  }
}
