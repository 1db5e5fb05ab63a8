package dev.storefront.deploy;

import java.util.List;
import java.util.Map;

/** Reading nested values out of parsed YAML by a dotted path, without casts spread over the tests. */
final class Yamls {

    private Yamls() {
    }

    static Object get(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String path) {
        Object value = get(node, path);
        return (value instanceof Map<?, ?>) ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String path) {
        Object value = get(node, path);
        return (value instanceof List<?>) ? (List<Object>) value : List.of();
    }

    static String string(Object node, String path) {
        Object value = get(node, path);
        return (value != null) ? String.valueOf(value) : null;
    }

}
