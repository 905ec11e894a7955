package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  @ParameterizedTest
  @CsvSource({
      "127.0.0.1:7000, 127.0.0.1, 7000, 127.0.0.1:7000",
      "' node-1.example.org:65535 ', node-1.example.org, 65535, node-1.example.org:65535",
      "[::1]:7001, ::1, 7001, [::1]:7001"})
  void parsesAndPrintsBack(String text, String host, int port, String printed) {
    HostPort hp = HostPort.parse(text);
    assertThat(hp).isEqualTo(new HostPort(host, port));
    assertThat(hp.toString()).isEqualTo(printed);
    assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
  }

  @ParameterizedTest
  @ValueSource(strings = {"host", "host:", ":7000", "::1:7000", "[::1:7000", "h:port", "h:0",
      "h:65536"})
  void refusesWhatIsNotHostColonPort(String text) {
    assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(RingkvException.class)
        .satisfies(e -> assertThat(((RingkvException) e).code())
            .isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageMatching(".*(is invalid|out of range).*");
  }
}
