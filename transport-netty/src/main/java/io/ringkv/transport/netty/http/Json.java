package io.ringkv.transport.netty.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes the HTTP API's JSON bodies with Jackson's streaming generator, as UTF-8 bytes. Jackson
 * escapes quote, backslash and control characters (as {@code \}u escapes with lower-case hex);
 * characters outside ASCII, including those beyond the BMP, stay literal UTF-8 and an unpaired
 * surrogate becomes a {@code \}u escape, so every body is valid UTF-8. A body that is not one
 * complete JSON value (a value where a name is due, a container left open) fails with
 * {@link IllegalStateException}.
 */
final class Json {
  /** Thread-safe once built; shared by every event loop. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
      .build();

  private Json() {}

  /** What writes one body on the generator it is given. */
  @FunctionalInterface
  interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }

  /** The UTF-8 bytes of the one JSON value that {@code body} writes. */
  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.writeTo(g);
      JsonStreamContext at = g.getOutputContext();
      if (!at.inRoot() || at.getEntryCount() != 1) {
        throw new IllegalStateException("a JSON body is one complete value; "
            + (at.inRoot() ? at.getEntryCount() + " written" : "a container is still open"));
      }
    } catch (IOException e) {
      // Memory does not fail to take bytes: this is Jackson refusing a malformed document.
      throw new IllegalStateException("malformed JSON body: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** {@code {"name": value}}: one string field. */
  static byte[] field(String name, String value) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField(name, value);
      g.writeEndObject();
    });
  }

  /** {@code {"error": message}}: the body of every error the HTTP API returns. */
  static byte[] error(String message) {
    return field("error", message);
  }
}
