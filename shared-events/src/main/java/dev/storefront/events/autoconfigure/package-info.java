/** Spring Boot auto-configuration that gives a service the outbox, its relay and the event schema when it adds the dependency. */
@NullMarked
package dev.storefront.events.autoconfigure;

import org.jspecify.annotations.NullMarked;
