package io.ringkv.testkit.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.resolver.BuiltInResolvers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class SetUnionResolverContractTest extends ConflictResolverContractTest {
  private static final List<String> ITEMS = List.of("apple", "bread", "cheese", "dates", "eggs");

  @Override
  protected ConflictResolver resolver() {
    return BuiltInResolvers.setUnion();
  }

  @Override
  protected Bytes randomValue(Random random) {
    // 0 to 3 items in any order, duplicates possible: not always the canonical form.
    List<String> items = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      items.add(ITEMS.get(random.nextInt(ITEMS.size())));
    }
    return Bytes.utf8(String.join("\n", items));
  }
}
