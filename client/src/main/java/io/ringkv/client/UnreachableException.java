package io.ringkv.client;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;

/**
 * No node the request was meant for could be reached at all (connection refused, unknown host,
 * no connection in time): the request certainly reached no node, so nothing of it is stored.
 * Its code is {@link ErrorCode#UNAVAILABLE}, as for every failure to get an answer.
 */
public final class UnreachableException extends RingkvException {
  private static final long serialVersionUID = 1L;

  UnreachableException(String message, Throwable cause) {
    super(ErrorCode.UNAVAILABLE, message, cause);
  }
}
