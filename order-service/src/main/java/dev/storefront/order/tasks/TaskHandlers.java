package dev.storefront.order.tasks;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The {@link TaskHandler} beans of the application by task type. Looked up once every singleton
 * exists (handlers may themselves queue tasks, so they cannot be constructor arguments of the queue),
 * and checked then: a type that is not lower case and dotted, or two handlers of one type, stop the
 * service at startup.
 */
final class TaskHandlers implements SmartInitializingSingleton {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)+");

    private final ObjectProvider<TaskHandler> provider;

    private volatile @Nullable Map<String, TaskHandler> byType;

    TaskHandlers(ObjectProvider<TaskHandler> provider) {
        this.provider = provider;
    }

    @Override
    public void afterSingletonsInstantiated() {
        resolve();
    }

    /** The handler of {@code type}, or {@code null} when this service has none. */
    @Nullable TaskHandler find(String type) {
        return resolve().get(type);
    }

    boolean handles(@Nullable String type) {
        return type != null && resolve().containsKey(type);
    }

    /** Every type a handler exists for, sorted. */
    Set<String> types() {
        return resolve().keySet();
    }

    private Map<String, TaskHandler> resolve() {
        Map<String, TaskHandler> resolved = this.byType;
        if (resolved != null) {
            return resolved;
        }
        synchronized (this) {
            if (this.byType == null) {
                Map<String, TaskHandler> handlers = new TreeMap<>();
                this.provider.orderedStream().forEach((handler) -> {
                    String type = handler.type();
                    if (type == null || !TYPE.matcher(type).matches()) {
                        throw new IllegalStateException("Task handler " + handler.getClass().getName()
                                + " has the type '" + type + "': a type is lower case and dotted, such as 'order.notify'");
                    }
                    TaskHandler other = handlers.putIfAbsent(type, handler);
                    if (other != null) {
                        throw new IllegalStateException("Two task handlers for the type '" + type + "': "
                                + other.getClass().getName() + " and " + handler.getClass().getName());
                    }
                });
                this.byType = Collections.unmodifiableMap(handlers);
            }
            return this.byType;
        }
    }

}
