package io.ringkv.resolver;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin. It sees three things, in this order:
 * <ol>
 *   <li>classes and resources under {@code io.ringkv.api} from the host, so the plugin and the
 *       node share one {@code RingkvPlugin}, {@code Versioned}, {@code Bytes}…;</li>
 *   <li>the JDK (the platform class loader, which is this loader's parent);</li>
 *   <li>the plugin's own jars.</li>
 * </ol>
 * Nothing else of the host is visible: not ringkv's implementation modules, not the libraries on
 * the node's class path. So a plugin bundles what it needs, and two plugins can bundle different
 * versions of the same library; child-first is automatic because no other parent is asked.
 */
final class PluginClassLoader extends URLClassLoader {
  static final String HOST_PACKAGE = "io.ringkv.api.";
  private static final String HOST_RESOURCES = "io/ringkv/api/";

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final ClassLoader host;

  PluginClassLoader(String name, List<URL> jars, ClassLoader host) {
    super("plugin:" + name, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    this.host = host;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(HOST_PACKAGE)) {
      return host.loadClass(name);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = getParent().loadClass(name); // the JDK
        } catch (ClassNotFoundException notJdk) {
          c = findClass(name); // the plugin's jars; throws if absent there too
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    if (name.startsWith(HOST_RESOURCES)) {
      return host.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (name.startsWith(HOST_RESOURCES)) {
      return host.getResources(name);
    }
    List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }

  @Override
  public String toString() {
    return getName();
  }
}
