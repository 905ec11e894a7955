package io.ringkv.transport.netty.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriterTest {
  private static String string(String s) {
    return new JsonWriter().value(s).toJson();
  }

  @Test
  void nestedObjectsAndArraysGetTheirCommas() {
    String json = new JsonWriter().beginObject()
        .field("a", 1)
        .name("list").beginArray().value("x").value(true).nullValue()
        .beginObject().endObject().beginArray().endArray().endArray()
        .name("o").beginObject().field("k", false).field("n", -7).endObject()
        .endObject().toJson();
    assertThat(json).isEqualTo(
        "{\"a\":1,\"list\":[\"x\",true,null,{},[]],\"o\":{\"k\":false,\"n\":-7}}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "plain|'\"plain\"'",
      "say \"hi\"|'\"say \\\"hi\\\"\"'",
      "back\\slash|'\"back\\\\slash\"'",
      "/slash|'\"/slash\"'",
  })
  void quotesAndBackslashesAreEscaped(String in, String expected) {
    assertThat(string(in)).isEqualTo(expected);
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(string("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
    assertThat(string("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
    assertThat(string("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(string("\u007f")).isEqualTo("\"\u007f\"");
  }

  @Test
  void nonAsciiIsKeptAndSurrogatePairsStayWholeButLoneOnesAreEscaped() {
    assertThat(string("ünï 日本 😀")).isEqualTo("\"ünï 日本 😀\"");
    assertThat(string("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
    assertThat(string("\ude00")).isEqualTo("\"\\ude00\"");
    byte[] utf8 = new JsonWriter().value("😀\ud800").toUtf8();
    assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo("\"😀\\ud800\"");
  }

  @Test
  void namesAreEscapedToo() {
    assertThat(new JsonWriter().beginObject().field("n1#\"x\"", 2).endObject().toJson())
        .isEqualTo("{\"n1#\\\"x\\\"\":2}");
  }

  @Test
  void theErrorBodyIsOneField() {
    assertThat(new String(JsonWriter.error("quorum \"not\" reached"), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"quorum \\\"not\\\" reached\"}");
  }

  @Test
  void misuseIsRefused() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value("no name"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a name");
    assertThatThrownBy(() -> new JsonWriter().beginArray().name("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().endArray())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().toJson())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not complete");
    assertThatThrownBy(() -> new JsonWriter().value(1).value(2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already complete");
    assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject())
        .isInstanceOf(IllegalStateException.class);
  }
}
