package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small parsers of the command line: JSON, host:port, durations, partition ranges. */
class ParsingTest {
  @Test
  void jsonReadsTheShapesTheApiAnswers() {
    Object doc = Json.parse(" {\"context\": \"a\\\"b\", \"n\": -12, \"x\": 1.5e2, \"ok\": true,"
        + " \"none\": null, \"list\": [1, {\"u\": \"\\u00e9\\n\"}], \"empty\": {}, \"e\": []} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("context", "a\"b");
    expected.put("n", -12L);
    expected.put("x", new BigDecimal("1.5e2"));
    expected.put("ok", true);
    expected.put("none", null);
    expected.put("list", List.of(1L, Map.of("u", "\u00e9\n")));
    expected.put("empty", Map.of());
    expected.put("e", List.of());
    assertThat(doc).isEqualTo(expected);
  }

  @Test
  void jsonWritesWhatItReads() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("s", "tab\there \"q\" \\ \u0001");
    doc.put("n", 3L);
    doc.put("d", 0.25);
    doc.put("b", false);
    doc.put("z", null);
    doc.put("l", Arrays.asList(1L, "x", null));
    String text = Json.write(doc);
    assertThat(text).isEqualTo("{\"s\": \"tab\\there \\\"q\\\" \\\\ \\u0001\", \"n\": 3, \"d\": 0.25,"
        + " \"b\": false, \"z\": null, \"l\": [1, \"x\", null]}");
    Map<String, Object> back = new LinkedHashMap<>(doc);
    back.put("d", new BigDecimal("0.25"));
    assertThat(Json.parse(text)).isEqualTo(back);
  }

  /** Jackson's own words say what is wrong; the offset says where. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\": 1,}|double-quote to start field name|8",
      "[1 2]|comma to separate Array entries|3",
      "{\"a\" 1}|colon to separate field name and value|5",
      "tru|Unrecognized token 'tru'|0",
      "\"abc|Unexpected end-of-input|4",
      "{} x|Unrecognized token 'x'|3",
      "\"\\q\"|Unrecognized character escape 'q'|2"})
  void badJsonNamesWhatAndWhere(String text, String what, int offset) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON: ").hasMessageContaining(what)
        .hasMessageEndingWith(" at offset " + offset);
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1:8098,127.0.0.1,8098", "localhost:1,localhost,1",
      "[::1]:8098,::1,8098", "node-3.example:65535,node-3.example,65535"})
  void nodeAddresses(String text, String host, int port) {
    NodeAddress a = NodeAddress.parse(text);
    assertThat(a).isEqualTo(new NodeAddress(host, port));
    assertThat(a.toString()).isEqualTo(text);
    assertThat(a.uri("/health").toString()).isEqualTo("http://" + text + "/health");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "localhost|expected host:port, got 'localhost'",
      ":8098|expected host:port, got ':8098'",
      "h:|expected host:port, got 'h:'",
      "h:x|expected host:port with a numeric port, got 'h:x'",
      "h:0|port must be in 1..65535, got 0 in 'h:0'",
      "::1:8098|expected host:port (IPv6 in brackets: [::1]:8098), got '::1:8098'"})
  void badNodeAddresses(String text, String message) {
    assertThatThrownBy(() -> NodeAddress.parse(text)).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"250ms,250", "10s,10000", "10,10000", "1.5s,1500", "1m,60000", "2min,120000",
      "1h,3600000", "0s,0", " 3S ,3000"})
  void durations(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "10 days", "-1s", "1.2.3s", "ten"})
  void badDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .hasMessage("expected a duration such as 500ms, 10s, 1m or 2h, got '" + text + "'");
  }

  @Test
  void durationsFormatForHumans() {
    assertThat(Durations.format(Duration.ofMillis(200))).isEqualTo("200 ms");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30.0 s");
  }

  @Test
  void partitionRanges() {
    assertThat(RingCommand.ranges(List.of())).isEqualTo("-");
    assertThat(RingCommand.ranges(List.of(5))).isEqualTo("5");
    assertThat(RingCommand.ranges(List.of(0, 1, 2, 3))).isEqualTo("0-3");
    assertThat(RingCommand.ranges(List.of(0, 2, 3, 7, 9, 10, 11))).isEqualTo("0, 2-3, 7, 9-11");
  }

  @Test
  void tablesPadColumnsAndRightAlignNumbers() {
    String nl = System.lineSeparator();
    assertThat(new Table("name", ">n").row("alpha", 1).row("b", 1234).render())
        .isEqualTo("name      n" + nl + "alpha     1" + nl + "b      1234" + nl);
    assertThatThrownBy(() -> new Table("a", "b").row("x"))
        .hasMessage("a row of this table has 2 cells, got 1");
  }
}
