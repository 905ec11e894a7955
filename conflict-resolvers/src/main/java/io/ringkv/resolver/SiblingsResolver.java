package io.ringkv.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Resolution;
import io.ringkv.api.Versioned;
import java.util.List;

/**
 * {@code siblings}: hands every version that no other version supersedes to the client, which
 * resolves the conflict itself and writes back with the context it read (Dynamo's default).
 */
final class SiblingsResolver implements ConflictResolver {

  @Override
  public Resolution resolve(List<Versioned<Bytes>> siblings) {
    return new Resolution.Keep(Inputs.current(siblings));
  }

  @Override
  public String toString() {
    return BuiltInResolvers.SIBLINGS;
  }
}
