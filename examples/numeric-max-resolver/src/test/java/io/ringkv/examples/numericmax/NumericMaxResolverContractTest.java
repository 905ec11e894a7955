package io.ringkv.examples.numericmax;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.testkit.resolver.ConflictResolverContractTest;
import java.util.List;
import java.util.Random;

class NumericMaxResolverContractTest extends ConflictResolverContractTest {
  private static final List<String> NOT_NUMBERS = List.of("", "n/a", "NaN", "1,5", "abc");

  @Override
  protected ConflictResolver resolver() {
    return new NumericMaxResolver();
  }

  @Override
  protected Bytes randomValue(Random random) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return Bytes.utf8(NOT_NUMBERS.get(random.nextInt(NOT_NUMBERS.size())));
    }
    int n = random.nextInt(21) - 10; // a narrow range: equal numbers occur
    if (kind == 1) {
      return Bytes.utf8(n + ".0"); // equal to n, spelled differently
    }
    if (kind == 2) {
      return Bytes.utf8(n + "e1");
    }
    return Bytes.utf8(Integer.toString(n));
  }
}
