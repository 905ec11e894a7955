package io.ringkv.transport.netty.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the HTTP API's bodies come out of Jackson: the settings {@link Json} chooses. */
class JsonTest {
  private static byte[] bytes(String s) {
    return Json.write(g -> g.writeString(s));
  }

  private static String string(String s) {
    return new String(bytes(s), StandardCharsets.UTF_8);
  }

  @Test
  void objectsArraysAndNumbersAreCompact() {
    byte[] json = Json.write(g -> {
      g.writeStartObject();
      g.writeNumberField("a", 1);
      g.writeArrayFieldStart("list");
      g.writeString("x");
      g.writeBoolean(true);
      g.writeNull();
      g.writeStartObject();
      g.writeEndObject();
      g.writeStartArray();
      g.writeEndArray();
      g.writeEndArray();
      g.writeObjectFieldStart("o");
      g.writeBooleanField("k", false);
      g.writeNumberField("n", Long.MIN_VALUE);
      g.writeEndObject();
      g.writeEndObject();
    });
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
        "{\"a\":1,\"list\":[\"x\",true,null,{},[]],\"o\":{\"k\":false,\"n\":-9223372036854775808}}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "plain|'\"plain\"'",
      "say \"hi\"|'\"say \\\"hi\\\"\"'",
      "back\\slash|'\"back\\\\slash\"'",
      "/slash|'\"/slash\"'",
  })
  void quotesAndBackslashesAreEscapedButSlashesAreNot(String in, String expected) {
    assertThat(string(in)).isEqualTo(expected);
  }

  @Test
  void controlCharactersAreEscapedInLowerCaseHex() {
    assertThat(string("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
    assertThat(string("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
    assertThat(string("\u007f")).isEqualTo("\"\u007f\"");
  }

  /** Valid JSON (RFC 8259) and, since ES2019, valid JavaScript too. */
  @Test
  void lineAndParagraphSeparatorsStayLiteral() {
    assertThat(string("\u2028\u2029")).isEqualTo("\"\u2028\u2029\"");
  }

  @Test
  void nonAsciiIsLiteralUtf8AndLoneSurrogatesAreEscaped() {
    assertThat(bytes("ünï 日本 😀")).isEqualTo("\"ünï 日本 😀\"".getBytes(StandardCharsets.UTF_8));
    assertThat(string("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
    assertThat(string("\ude00")).isEqualTo("\"\\ude00\"");
    assertThat(string("😀\ud800")).isEqualTo("\"😀\\ud800\"");
  }

  @Test
  void namesAreEscapedToo() {
    assertThat(new String(Json.field("n1#\"x\"", "v"), StandardCharsets.UTF_8))
        .isEqualTo("{\"n1#\\\"x\\\"\":\"v\"}");
  }

  @Test
  void theErrorBodyIsOneField() {
    assertThat(new String(Json.error("quorum \"not\" reached"), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"quorum \\\"not\\\" reached\"}");
  }

  @Test
  void aBodyThatIsNotOneCompleteValueIsRefused() {
    assertThatThrownBy(() -> Json.write(g -> {
      g.writeStartObject();
      g.writeString("no name");
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("malformed JSON body");
    assertThatThrownBy(() -> Json.write(g -> {
      g.writeStartObject();
      g.writeEndArray();
    })).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Json.write(g -> g.writeStartObject()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("still open");
    assertThatThrownBy(() -> Json.write(g -> {
      g.writeNumber(1);
      g.writeNumber(2);
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("2 written");
    assertThatThrownBy(() -> Json.write(g -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("0 written");
  }
}
