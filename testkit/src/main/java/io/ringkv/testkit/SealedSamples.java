package io.ringkv.testkit;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One instance of every permitted subtype of a sealed interface, built through each record's
 * canonical constructor from a sample value per component type. For the dispatch tests that Java
 * 17 needs in place of an exhaustive pattern switch: walk {@link #oneOfEach} through the dispatch
 * and a new message type without a branch fails the build. A component type this class has no
 * sample for fails with a message naming it: add one with {@link #with}.
 */
public final class SealedSamples {
  private final Map<Class<?>, Object> samples = new HashMap<>();

  private SealedSamples() {
    Key key = Key.of("samples", "k");
    Actor actor = new Actor(NodeId.of("n1"), 7);
    Versioned<Bytes> version = new Versioned<>(Bytes.utf8("v"), new Dot(actor, 1),
        VectorClock.empty(), 1_700_000_000_000L, false);
    Siblings siblings = Siblings.of(version);
    samples.put(Key.class, key);
    samples.put(NodeId.class, NodeId.of("n2"));
    samples.put(Actor.class, actor);
    samples.put(Bytes.class, Bytes.utf8("value"));
    samples.put(Siblings.class, siblings);
    samples.put(VectorClock.class, siblings.clock());
    samples.put(Versioned.class, version);
    samples.put(RequestOptions.class, RequestOptions.DEFAULT);
    samples.put(Context.class, Context.EMPTY);
    samples.put(GetResult.class, new GetResult(List.of(version), Context.EMPTY));
    samples.put(ErrorCode.class, ErrorCode.UNAVAILABLE);
    samples.put(String.class, "sample");
    samples.put(boolean.class, true);
    samples.put(int.class, 1);
    samples.put(long.class, 1L);
    samples.put(double.class, 1.0);
    samples.put(byte[].class, new byte[] {1, 2, 3});
    samples.put(List.class, List.of());
    samples.put(Set.class, Set.of());
    samples.put(Map.class, Map.of());
  }

  /** The default samples: ringkv's vocabulary, primitives, strings and empty collections. */
  public static SealedSamples standard() {
    return new SealedSamples();
  }

  /** These samples plus {@code value} for components of {@code type}. */
  public <T> SealedSamples with(Class<T> type, T value) {
    SealedSamples copy = new SealedSamples();
    copy.samples.putAll(samples);
    copy.samples.put(type, value);
    return copy;
  }

  /**
   * One instance of each permitted subtype of {@code sealed} (recursively through sealed
   * sub-interfaces), in declaration order.
   *
   * @throws IllegalArgumentException if {@code sealed} is not sealed, a subtype is neither a record
   *     nor sealed, or a component has no sample
   */
  public <T> List<T> oneOfEach(Class<T> sealed) {
    if (!sealed.isSealed()) {
      throw new IllegalArgumentException(sealed.getName() + " is not sealed");
    }
    List<T> out = new ArrayList<>();
    for (Class<?> sub : sealed.getPermittedSubclasses()) {
      if (sub.isSealed()) {
        for (Object o : oneOfEach(sub)) {
          out.add(sealed.cast(o));
        }
      } else {
        out.add(sealed.cast(instance(sub)));
      }
    }
    return out;
  }

  private Object instance(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is neither a record nor sealed: "
          + "SealedSamples cannot build one");
    }
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = sample(type, components[i]);
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("the samples do not satisfy " + type.getName()
          + "'s constructor: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot build " + type.getName() + ": " + e, e);
    }
  }

  private Object sample(Class<?> owner, RecordComponent component) {
    Class<?> t = component.getType();
    if (samples.containsKey(t)) {
      return samples.get(t);
    }
    if (t.isEnum()) {
      return t.getEnumConstants()[0];
    }
    if (t.isSealed()) {
      return oneOfEach(t).get(0);
    }
    if (t.isRecord()) {
      return instance(t);
    }
    throw new IllegalArgumentException("no sample for component '" + component.getName()
        + "' of " + owner.getName() + " (type " + t.getName() + "): add one with "
        + "SealedSamples.with");
  }
}
