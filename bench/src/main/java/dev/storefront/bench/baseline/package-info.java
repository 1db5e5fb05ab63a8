/**
 * The bare baselines: a Spring MVC endpoint on Tomcat and a grpc-java server that answer a canned user, with no
 * database and no security, on the same server stack as the services.
 */
@NullMarked
package dev.storefront.bench.baseline;

import org.jspecify.annotations.NullMarked;
