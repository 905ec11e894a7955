package io.ringkv.testkit.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.resolver.BuiltInResolvers;
import java.util.Random;

class LwwResolverContractTest extends ConflictResolverContractTest {
  @Override
  protected ConflictResolver resolver() {
    return BuiltInResolvers.lww();
  }

  @Override
  protected Bytes randomValue(Random random) {
    // A small value space, so equal values on different versions occur too.
    return Bytes.utf8("v" + random.nextInt(5));
  }
}
