package io.ringkv.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

class FieldsTest {
  private static Map<String, ByteIterator> record() {
    Map<String, ByteIterator> values = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      values.put("field" + i, new StringByteIterator("v".repeat(100) + i));
    }
    values.put("empty", new StringByteIterator(""));
    values.put("ünï", new StringByteIterator("a field name in UTF-8")); // values: YCSB's bytes
    return values;
  }

  private static Map<String, String> strings(Map<String, ByteIterator> values) {
    Map<String, String> out = new HashMap<>();
    values.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  @Test
  void aRecordComesBackWholeOrAsTheFieldsAskedFor() {
    byte[] bytes = Fields.encode(record());
    Map<String, String> expected = strings(record());

    Map<String, ByteIterator> all = new HashMap<>();
    Fields.decode(bytes, null, all);
    Map<String, ByteIterator> some = new HashMap<>();
    Fields.decode(bytes, Set.of("field3", "ünï", "absent"), some);

    assertThat(strings(all)).isEqualTo(expected);
    assertThat(strings(some)).containsOnlyKeys("field3", "ünï")
        .containsEntry("ünï", "a field name in UTF-8").containsEntry("field3", expected.get("field3"));
  }

  @Test
  void bytesThatAreNotARecordAreRefused() {
    byte[] bytes = Fields.encode(record());

    assertThatThrownBy(() -> Fields.decode(Arrays.copyOf(bytes, bytes.length - 1), null,
        new HashMap<>())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends");
    assertThatThrownBy(() -> Fields.decode(Arrays.copyOf(bytes, bytes.length + 3), null,
        new HashMap<>())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the last field");
    assertThatThrownBy(() -> Fields.decode("hello, world".getBytes(), null, new HashMap<>()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
