package io.ringkv.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON for the command line, with Jackson: {@link #parse} reads a document into {@code Map}
 * (insertion-ordered), {@code List}, {@code String}, {@code Long} (every integer that fits; a
 * larger one is a {@code BigInteger}) or {@code BigDecimal}, {@code Boolean} and {@code null};
 * {@link #write} turns the same shapes (and records) back into compact text.
 */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .defaultPrettyPrinter(printer())
      .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
      .build();

  /** One line, a space after each ':' and ',' (as the commands always printed), no padding. */
  private static DefaultPrettyPrinter printer() {
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEntrySpacing(Separators.Spacing.AFTER)
        .withArrayValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("").withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
        .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());
  }

  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @throws IllegalArgumentException saying where the text stops being JSON
   */
  public static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage() + " at "
          + describe(e), e);
    }
  }

  private static String describe(JsonProcessingException e) {
    return e.getLocation() == null ? "an unknown offset"
        : "offset " + e.getLocation().getCharOffset();
  }

  /** Writes a Map / List / String / Number / Boolean / null tree as compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName()
          + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The string as a JSON string literal, quotes included. */
  public static String quote(String s) {
    return write(s);
  }
}
