package io.ringkv.transport.netty.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.api.Context;
import io.ringkv.api.PutResult;

/**
 * One HTTP answer before it becomes a Netty response: status, body and the few headers the API
 * sets. {@code context} becomes {@code X-Context} (omitted when null or empty), {@code replicas}
 * the write receipt {@code X-Ringkv-Replicas}, {@code allow} becomes {@code Allow};
 * {@code close} ends the connection after it.
 */
record Reply(HttpResponseStatus status, String contentType, byte[] body, String context,
    String replicas, String allow, boolean close) {
  static final String JSON = "application/json";
  static final String OCTETS = "application/octet-stream";

  static Reply json(HttpResponseStatus status, byte[] body, Context context) {
    return new Reply(status, JSON, body, encoded(context), null, null, false);
  }

  static Reply json(HttpResponseStatus status, byte[] body) {
    return new Reply(status, JSON, body, null, null, null, false);
  }

  static Reply error(HttpResponseStatus status, String message) {
    return new Reply(status, JSON, Json.error(message), null, null, null, false);
  }

  static Reply value(byte[] body, Context context) {
    return new Reply(HttpResponseStatus.OK, OCTETS, body, encoded(context), null, null, false);
  }

  /** {@code 204} for a write: the new version's context and its write receipt. */
  static Reply written(PutResult result) {
    String receipt = result.receipt();
    return new Reply(HttpResponseStatus.NO_CONTENT, null, new byte[0], encoded(result.context()),
        receipt.isEmpty() ? null : receipt, null, false);
  }

  static Reply plain(HttpResponseStatus status, String contentType, byte[] body) {
    return new Reply(status, contentType, body, null, null, null, false);
  }

  static Reply methodNotAllowed(String method, String route, String allow) {
    return new Reply(HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, Json.error("method "
        + method + " is not allowed on " + route + "; allowed: " + allow), null, null, allow,
        false);
  }

  Reply closing() {
    return new Reply(status, contentType, body, context, replicas, allow, true);
  }

  Reply withContext(Context c) {
    return new Reply(status, contentType, body, encoded(c), replicas, allow, close);
  }

  private static String encoded(Context c) {
    return c == null || c.isEmpty() ? null : c.encoded();
  }
}
