package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private static final String MESSAGE = "the test store in /x is closed";

  @Test
  void closesOnceAndThenRefusesOperationsWithItsMessage() {
    Lifecycle lifecycle = new Lifecycle(MESSAGE);
    lifecycle.enter();
    lifecycle.exit();
    assertThat(lifecycle.isClosed()).isFalse();
    AtomicInteger runs = new AtomicInteger();

    assertThat(lifecycle.closeOnce(runs::incrementAndGet)).isTrue();
    assertThat(lifecycle.closeOnce(runs::incrementAndGet)).as("a second close").isFalse();

    assertThat(runs).hasValue(1);
    assertThat(lifecycle.isClosed()).isTrue();
    assertThatThrownBy(lifecycle::enter).isInstanceOf(IllegalStateException.class).hasMessage(MESSAGE);
  }

  @Test
  void closeWaitsForTheOperationInFlightButRefusesNewOnesAtOnce() throws Exception {
    Lifecycle lifecycle = new Lifecycle(MESSAGE);
    AtomicInteger runs = new AtomicInteger();
    lifecycle.enter();
    Thread closer = new Thread(() -> lifecycle.closeOnce(runs::incrementAndGet), "closer");
    closer.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.WAITING);
      assertThat(lifecycle.isClosed()).isTrue();
      assertThatThrownBy(lifecycle::enter).isInstanceOf(IllegalStateException.class).hasMessage(MESSAGE);
      assertThat(runs).as("close ran with an operation in flight").hasValue(0);
    } finally {
      lifecycle.exit();
    }
    closer.join(Duration.ofSeconds(10).toMillis());
    assertThat(closer.isAlive()).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailedCloseStaysClosed() {
    Lifecycle lifecycle = new Lifecycle(MESSAGE);
    assertThatThrownBy(() -> lifecycle.closeOnce(() -> {
      throw new IllegalStateException("disk gone");
    })).hasMessage("disk gone");

    assertThat(lifecycle.isClosed()).isTrue();
    assertThat(lifecycle.closeOnce(() -> {
      throw new AssertionError("ran twice");
    })).isFalse();
  }
}
