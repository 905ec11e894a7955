package io.ringkv.transport.netty;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.api.Context;

/**
 * One HTTP answer before it becomes a Netty response: status, body and the few headers the API
 * sets. {@code context} becomes {@code X-Context} (omitted when null or empty), {@code allow}
 * becomes {@code Allow}; {@code close} ends the connection after it.
 */
record Reply(HttpResponseStatus status, String contentType, byte[] body, String context,
    String allow, boolean close) {
  static final String JSON = "application/json";
  static final String OCTETS = "application/octet-stream";

  static Reply json(HttpResponseStatus status, byte[] body, Context context) {
    return new Reply(status, JSON, body, encoded(context), null, false);
  }

  static Reply json(HttpResponseStatus status, byte[] body) {
    return new Reply(status, JSON, body, null, null, false);
  }

  static Reply error(HttpResponseStatus status, String message) {
    return new Reply(status, JSON, JsonWriter.error(message), null, null, false);
  }

  static Reply value(byte[] body, Context context) {
    return new Reply(HttpResponseStatus.OK, OCTETS, body, encoded(context), null, false);
  }

  static Reply noContent(Context context) {
    return new Reply(HttpResponseStatus.NO_CONTENT, null, new byte[0], encoded(context), null, false);
  }

  static Reply methodNotAllowed(String method, String route, String allow) {
    return new Reply(HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, JsonWriter.error("method "
        + method + " is not allowed on " + route + "; allowed: " + allow), null, allow, false);
  }

  Reply closing() {
    return new Reply(status, contentType, body, context, allow, true);
  }

  Reply withContext(Context c) {
    return new Reply(status, contentType, body, encoded(c), allow, close);
  }

  private static String encoded(Context c) {
    return c == null || c.isEmpty() ? null : c.encoded();
  }
}
