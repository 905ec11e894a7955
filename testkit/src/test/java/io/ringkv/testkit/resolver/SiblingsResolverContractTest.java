package io.ringkv.testkit.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.resolver.BuiltInResolvers;
import java.util.Random;

class SiblingsResolverContractTest extends ConflictResolverContractTest {
  @Override
  protected ConflictResolver resolver() {
    return BuiltInResolvers.siblings();
  }

  @Override
  protected Bytes randomValue(Random random) {
    return Bytes.utf8("v" + random.nextInt(1000));
  }
}
